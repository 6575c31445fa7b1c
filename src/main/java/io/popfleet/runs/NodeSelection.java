package io.popfleet.runs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import io.popfleet.inventory.NodeTag;

/**
 * Which nodes a run covers: every enabled node, narrowed by groups (any of), tags (all of), free text and
 * explicit names. Resolved in SQL, so choosing 10,000 nodes costs one statement.
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

    /** A SQL predicate over {@code n} (table node) and its bind parameters. */
    SqlPredicate predicate() {
        StringBuilder sql = new StringBuilder("true");
        Map<String, Object> params = new java.util.HashMap<>();
        if (!includeDisabled) {
            sql.append(" and n.enabled");
        }
        if (!groups.isEmpty()) {
            sql.append(" and exists (select 1 from node_group_member m join node_group g on g.id = m.group_id"
                    + " where m.node_id = n.id and g.name in (:groups))");
            params.put("groups", groups);
        }
        for (int i = 0; i < tags.size(); i++) {
            NodeTag tag = NodeTag.parse(tags.get(i));
            sql.append(" and exists (select 1 from node_tag t where t.node_id = n.id and t.tag_key = :tagKey")
                    .append(i);
            params.put("tagKey" + i, tag.key);
            if (tag.value != null) {
                sql.append(" and t.tag_value = :tagValue").append(i);
                params.put("tagValue" + i, tag.value);
            }
            sql.append(')');
        }
        if (q != null) {
            sql.append(" and (lower(n.name) like :q or lower(n.host) like :q)");
            params.put("q", "%" + q.toLowerCase(java.util.Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
                    .replace("_", "\\_") + "%");
        }
        if (!names.isEmpty()) {
            sql.append(" and n.name in (:names)");
            params.put("names", names);
        }
        return new SqlPredicate(sql.toString(), params);
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

    record SqlPredicate(String sql, Map<String, Object> params) {
    }
}
