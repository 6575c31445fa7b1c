package io.popfleet.inventory;

import java.util.List;

/** One page of a list, with what a client needs to page through the rest. */
public record NodePage(List<NodeView> items, int page, int size, long total) {

    public int pageCount() {
        return (int) ((total + size - 1) / size);
    }

    public long firstItem() {
        return (long) page * size + 1;
    }

    public long lastItem() {
        return (long) page * size + items.size();
    }

    public boolean hasPrevious() {
        return page > 0;
    }

    public boolean hasNext() {
        return page + 1 < pageCount();
    }
}
