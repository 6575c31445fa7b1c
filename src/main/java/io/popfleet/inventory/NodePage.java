package io.popfleet.inventory;

import java.util.List;

/** One page of a list, with what a client needs to page through the rest. */
public record NodePage(List<NodeView> items, int page, int size, long total) {

    public int pageCount() {
        return (int) ((total + size - 1) / size);
    }
}
