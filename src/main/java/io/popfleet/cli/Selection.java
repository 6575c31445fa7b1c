package io.popfleet.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Option;

/** Which nodes, as a run's selection means it: any of the groups, all of the tags, these names, enabled only. */
final class Selection {

    @Option(names = { "-g", "--group" }, paramLabel = "GROUP", description = "Nodes in this group (repeat: any of them)")
    List<String> groups = new ArrayList<>();

    @Option(names = { "-t", "--tag" }, paramLabel = "KEY[=VALUE]", description = "Nodes with this tag (repeat: all of"
            + " them)")
    List<String> tags = new ArrayList<>();

    @Option(names = { "-n", "--node" }, paramLabel = "NAME", description = "This node, by name (repeat for more)")
    List<String> nodes = new ArrayList<>();

    @Option(names = { "-q", "--query" }, paramLabel = "TEXT", description = "Nodes whose name, host, region or notes"
            + " contain TEXT")
    String query;

    @Option(names = "--include-disabled", description = "Disabled nodes too")
    boolean includeDisabled;

    Map<String, Object> toJson() {
        Map<String, Object> selection = new LinkedHashMap<>();
        selection.put("groups", groups);
        selection.put("tags", tags);
        selection.put("q", query);
        selection.put("nodes", nodes);
        selection.put("includeDisabled", includeDisabled);
        return selection;
    }

    /** In words, for a confirmation question. */
    String describe() {
        List<String> parts = new ArrayList<>();
        if (!groups.isEmpty()) {
            parts.add("group " + String.join(" or ", groups));
        }
        if (!tags.isEmpty()) {
            parts.add("tag " + String.join(" and ", tags));
        }
        if (!nodes.isEmpty()) {
            parts.add("node " + String.join(", ", nodes));
        }
        if (query != null) {
            parts.add("matching '" + query + "'");
        }
        return parts.isEmpty() ? "every enabled node" : String.join(", ", parts);
    }
}
