package io.popfleet.inventory;

import io.popfleet.api.Paging;
import java.util.Locale;
import java.util.Set;

import io.popfleet.api.BadRequestProblem;

/**
 * A filtered, sorted page of the fleet. Every filter is a SQL predicate: the fleet page stays fast at 10,000
 * nodes because nothing is filtered in memory.
 *
 * @param group only nodes in this group
 * @param tag {@code key} (any value) or {@code key=value}
 * @param q free text matched against name, host, region and notes
 * @param page 0-based page index
 */
public record NodeQuery(String group, String tag, String q, Boolean enabled, String sort, boolean descending,
        int page, int size) {

    public static final int MAX_SIZE = Paging.MAX_SIZE;
    public static final int DEFAULT_SIZE = Paging.DEFAULT_SIZE;
    private static final Set<String> SORTABLE = Set.of("name", "host", "region", "enabled", "createdAt", "updatedAt");

    public NodeQuery {
        group = blankToNull(group);
        tag = blankToNull(tag);
        q = blankToNull(q);
        sort = sort == null || sort.isBlank() ? "name" : sort;
        if (!SORTABLE.contains(sort)) {
            throw new BadRequestProblem("invalid-sort", "cannot sort by '" + sort + "'; use one of "
                    + String.join(", ", SORTABLE.stream().sorted().toList()));
        }
        new Paging(page, size);
    }

    public Paging paging() {
        return new Paging(page, size);
    }

    public static NodeQuery all(int page, int size) {
        return new NodeQuery(null, null, null, null, "name", false, page, size);
    }

    String likePattern() {
        String escaped = q.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return "%" + escaped + "%";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
