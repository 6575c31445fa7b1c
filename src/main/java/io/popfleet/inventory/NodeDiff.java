package io.popfleet.inventory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

import io.popfleet.inventory.importing.NodeSpec;

/** What would change, field by field, if a stored node were made to match a spec. */
public record NodeDiff(List<FieldChange> changes) {

    /** One field: its API name, the stored value and the new one, as text. */
    public record FieldChange(String field, String from, String to) {
    }

    public static NodeDiff between(Node node, NodeSpec spec) {
        List<FieldChange> changes = new ArrayList<>();
        compare(changes, "host", node.host, spec.host());
        compare(changes, "sshPort", node.sshPort, spec.sshPort());
        compare(changes, "sshUser", node.sshUser, spec.sshUser());
        compare(changes, "credentialRef", node.credentialRef, spec.credentialRef());
        compare(changes, "enabled", node.enabled, spec.enabled());
        compare(changes, "region", node.region, spec.region());
        compare(changes, "walletAddress", node.walletAddress, spec.walletAddress());
        compare(changes, "notes", node.notes, spec.notes());
        compare(changes, "jump", node.jump, spec.jump());
        compare(changes, "node_tool", node.nodeTool, spec.nodeTool());
        compare(changes, "node_tool_path", node.nodeToolPath, spec.nodeToolPath());
        compare(changes, "groups", String.join(", ", node.groupNames()),
                String.join(", ", new TreeSet<>(spec.groups())));
        compare(changes, "tags", tagsText(node.tagMap()), tagsText(spec.tags()));
        return new NodeDiff(List.copyOf(changes));
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    public Map<String, Object> asDetails() {
        Map<String, Object> details = new LinkedHashMap<>();
        changes.forEach(change -> details.put(change.field(), Map.of(
                "from", change.from() == null ? "" : change.from(),
                "to", change.to() == null ? "" : change.to())));
        return details;
    }

    private static void compare(List<FieldChange> changes, String field, Object stored, Object wanted) {
        if (!Objects.equals(stored, wanted)) {
            changes.add(new FieldChange(field, stored == null ? null : stored.toString(),
                    wanted == null ? null : wanted.toString()));
        }
    }

    private static String tagsText(Map<String, String> tags) {
        List<String> parts = new ArrayList<>();
        tags.forEach((key, value) -> parts.add(value == null ? key : key + "=" + value));
        return String.join(", ", parts);
    }
}
