package io.popfleet.inventory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.persistence.Query;

/**
 * Which nodes of the fleet: the one meaning of a node filter, shared by the fleet page, the nodes API and run
 * selection, so that "search the fleet, then run on those nodes" reaches exactly the nodes the search showed.
 * Rendered as one SQL predicate over the {@code node} table aliased {@code n}, so nothing is filtered in memory
 * and choosing among 10,000 nodes costs one statement.
 *
 * @param groups in any of these groups; empty: any group or none
 * @param tags carrying all of these tags, each {@code key} (any value) or {@code key=value}
 * @param q free text found, case-insensitively, in the name, host, region or notes
 * @param names only the nodes of these names; empty: no restriction
 * @param enabled only enabled nodes ({@code true}), only disabled ones ({@code false}) or both ({@code null})
 */
public record NodeFilter(List<String> groups, List<String> tags, String q, List<String> names, Boolean enabled) {

    public NodeFilter {
        // Values are kept as given: a blank name must match no node, never widen the filter to the whole fleet.
        groups = groups == null ? List.of() : List.copyOf(groups);
        tags = tags == null ? List.of() : List.copyOf(tags);
        names = names == null ? List.of() : List.copyOf(names);
        q = q == null || q.isBlank() ? null : q.strip();
    }

    /** Every node, enabled or not. */
    public static NodeFilter everyNode() {
        return new NodeFilter(null, null, null, null, null);
    }

    /** The predicate and its bind parameters; the SQL names parameters, never embeds a value. */
    public Predicate predicate() {
        StringBuilder sql = new StringBuilder("true");
        Map<String, Object> params = new LinkedHashMap<>();
        if (enabled != null) {
            sql.append(" and n.enabled = :enabled");
            params.put("enabled", enabled);
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
            sql.append(" and (lower(n.name) like :q escape '\\' or lower(n.host) like :q escape '\\'"
                    + " or lower(coalesce(n.region, '')) like :q escape '\\'"
                    + " or lower(coalesce(n.notes, '')) like :q escape '\\')");
            params.put("q", likePattern(q));
        }
        if (!names.isEmpty()) {
            sql.append(" and n.name in (:names)");
            params.put("names", names);
        }
        return new Predicate(sql.toString(), params);
    }

    /** Contains {@code text}, with the LIKE wildcards in it taken literally. */
    private static String likePattern(String text) {
        String escaped = text.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return "%" + escaped + "%";
    }

    /** A SQL condition over {@code node n} and the parameters it names. */
    public record Predicate(String sql, Map<String, Object> params) {

        public Predicate {
            params = Map.copyOf(params);
        }

        /** Sets this predicate's parameters on a query that embeds {@link #sql()}. */
        public <Q extends Query> Q bind(Q query) {
            params.forEach(query::setParameter);
            return query;
        }
    }
}
