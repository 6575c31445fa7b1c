package io.popfleet.api;

import java.util.List;

/** One page of a list, with what a client needs to page through the rest. */
public record Page<T>(List<T> items, int page, int size, long total) {

    public static <T> Page<T> of(List<T> items, Paging paging, long total) {
        return new Page<>(items, paging.page(), paging.size(), total);
    }

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
