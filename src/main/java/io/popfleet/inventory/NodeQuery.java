package io.popfleet.inventory;

import java.util.List;
import java.util.Map;

import io.popfleet.api.BadRequestProblem;
import io.popfleet.api.Paging;

/**
 * A filtered, sorted page of the fleet, as the fleet page and the nodes API ask for it. The filter means what a
 * run's node selection means ({@link NodeFilter}); sorting and paging are SQL too, so the page stays fast at
 * 10,000 nodes.
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
    /** The sortable fields by their API names, and their columns. */
    private static final Map<String, String> SORTABLE = Map.of("name", "n.name", "host", "n.host",
            "region", "n.region", "enabled", "n.enabled", "createdAt", "n.created_at", "updatedAt", "n.updated_at");

    public NodeQuery {
        group = blankToNull(group);
        tag = blankToNull(tag);
        q = blankToNull(q);
        sort = sort == null || sort.isBlank() ? "name" : sort;
        if (!SORTABLE.containsKey(sort)) {
            throw new BadRequestProblem("invalid-sort", "cannot sort by '" + sort + "'; use one of "
                    + String.join(", ", SORTABLE.keySet().stream().sorted().toList()));
        }
        new Paging(page, size);
    }

    public Paging paging() {
        return new Paging(page, size);
    }

    public static NodeQuery all(int page, int size) {
        return new NodeQuery(null, null, null, null, "name", false, page, size);
    }

    /** The nodes this page is taken from. */
    public NodeFilter filter() {
        return new NodeFilter(group == null ? List.of() : List.of(group), tag == null ? List.of() : List.of(tag), q,
                List.of(), enabled);
    }

    /** The SQL order: the chosen column, then the id so that pages never overlap. */
    String orderBy() {
        return SORTABLE.get(sort) + (descending ? " desc" : " asc") + ", n.id";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
