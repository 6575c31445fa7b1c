package io.popfleet.api;

/**
 * One page request, checked once for every list: {@code page} 0-based, {@code size} between 1 and
 * {@link #MAX_SIZE}. The first row's offset always fits an {@code int}, so no database sees an overflowed offset.
 */
public record Paging(int page, int size) {

    public static final int MAX_SIZE = 500;
    public static final int DEFAULT_SIZE = 50;
    public static final String PROBLEM_CODE = "invalid-paging";

    public Paging {
        if (page < 0) {
            throw new BadRequestProblem(PROBLEM_CODE, "page must be 0 or more, not " + page);
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new BadRequestProblem(PROBLEM_CODE, "size must be between 1 and " + MAX_SIZE + ", not " + size);
        }
        if ((long) page * size > Integer.MAX_VALUE) {
            throw new BadRequestProblem(PROBLEM_CODE, "page " + page + " is beyond any list at size " + size);
        }
    }

    /** Missing values take the defaults (page 0, {@code defaultSize}). */
    public static Paging of(Integer page, Integer size, int defaultSize) {
        return new Paging(page == null ? 0 : page, size == null ? defaultSize : size);
    }

    public static Paging of(Integer page, Integer size) {
        return of(page, size, DEFAULT_SIZE);
    }

    public int offset() {
        return page * size;
    }
}
