package io.popfleet.runs;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

import io.popfleet.inventory.NodeFilter;

/**
 * Which nodes a run covers: every enabled node, narrowed by groups (any of), tags (all of), free text and
 * explicit names. Resolved in SQL through the inventory's {@link NodeFilter}, so a run reaches exactly the nodes
 * a fleet search with the same filters shows.
 */
public record NodeSelection(List<String> groups, List<String> tags, String q, List<String> names,
        boolean includeDisabled) {

    public NodeSelection {
        groups = groups == null ? List.of() : List.copyOf(groups);
        tags = tags == null ? List.of() : List.copyOf(tags);
        names = names == null ? List.of() : List.copyOf(names);
        q = q == null || q.isBlank() ? null : q.strip();
    }

    public static NodeSelection all() {
        return new NodeSelection(null, null, null, null, false);
    }

    public static NodeSelection named(List<String> names) {
        return new NodeSelection(null, null, null, names, false);
    }

    /** The nodes this selection covers, with the fleet search's meaning of every filter. */
    public NodeFilter filter() {
        return new NodeFilter(groups, tags, q, names, includeDisabled ? null : Boolean.TRUE);
    }

    /** How the operator chose, in words, for the run list and the audit trail. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (!groups.isEmpty()) {
            parts.add("group " + String.join(" or ", groups));
        }
        tags.forEach(tag -> parts.add("tag " + tag));
        if (q != null) {
            parts.add("matching \"" + q + "\"");
        }
        if (!names.isEmpty()) {
            parts.add(names.size() <= 5 ? "nodes " + String.join(", ", names) : names.size() + " named nodes");
        }
        StringJoiner joined = new StringJoiner(", ", parts.isEmpty() ? "all " : "", "");
        joined.add(includeDisabled ? "nodes (including disabled)" : "enabled nodes");
        parts.forEach(joined::add);
        return joined.toString();
    }
}
