package io.popfleet.ssh;

/** Page bounds shared by the SSH list endpoints. */
record Paging(int page, int size) {

    static final int MAX_SIZE = 500;

    static Paging of(Integer page, Integer size) {
        int p = page == null ? 0 : page;
        int s = size == null ? 50 : size;
        if (p < 0 || s < 1 || s > MAX_SIZE) {
            throw new SshRequestException(400, "bad-paging", "page >= 0 and 1 <= size <= " + MAX_SIZE);
        }
        return new Paging(p, s);
    }
}
