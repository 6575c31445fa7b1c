package io.popfleet.inventory.importing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes an Ansible INI inventory: nodes without groups first (Ansible's ungrouped), then one section per group.
 * A node's variables go on its line in its first group only; other groups list just its name, which Ansible and
 * our parser both read as the same host in several groups. Group descriptions travel as
 * {@code popfleet_description} in {@code [group:vars]}.
 */
final class IniInventoryWriter {

    private IniInventoryWriter() {
    }

    static String write(List<NodeSpec> nodes, SortedMap<String, String> groups) {
        StringBuilder out = new StringBuilder("# PoP Fleet inventory, Ansible INI format (docs/inventory.md)\n");
        Map<String, List<NodeSpec>> members = new TreeMap<>();
        groups.keySet().forEach(g -> members.put(g, new ArrayList<>()));
        List<NodeSpec> ungrouped = new ArrayList<>();
        for (NodeSpec node : nodes) {
            if (node.groups().isEmpty()) {
                ungrouped.add(node);
            }
            node.groups().forEach(g -> members.get(g).add(node));
        }
        ungrouped.forEach(node -> out.append(hostLine(node, true)));
        members.forEach((group, list) -> {
            out.append('\n').append('[').append(group).append("]\n");
            list.forEach(node -> out.append(hostLine(node, firstGroup(node).equals(group))));
        });
        groups.forEach((group, description) -> {
            if (description != null) {
                out.append('\n').append('[').append(group).append(":vars]\n")
                        .append(IniVariables.DESCRIPTION).append('=').append(IniTokens.quote(oneLine(description)))
                        .append('\n');
            }
        });
        return out.toString();
    }

    /** The alphabetically first group, whatever order the caller's list is in, so output does not vary. */
    private static String firstGroup(NodeSpec node) {
        return node.groups().stream().min(String::compareTo).orElseThrow();
    }

    private static String hostLine(NodeSpec node, boolean withVars) {
        if (!withVars) {
            return node.name() + '\n';
        }
        Map<String, String> vars = new LinkedHashMap<>();
        if (!node.host().equals(node.name())) {
            vars.put("ansible_host", node.host());
        }
        if (node.sshPort() != NodeSpec.DEFAULT_SSH_PORT) {
            vars.put("ansible_port", String.valueOf(node.sshPort()));
        }
        if (!NodeSpec.DEFAULT_SSH_USER.equals(node.sshUser())) {
            vars.put("ansible_user", node.sshUser());
        }
        putIfPresent(vars, "popfleet_credential", node.credentialRef());
        if (!node.enabled()) {
            vars.put("popfleet_enabled", "false");
        }
        putIfPresent(vars, "popfleet_region", node.region());
        putIfPresent(vars, "popfleet_wallet", node.walletAddress());
        putIfPresent(vars, "popfleet_notes", node.notes());
        putIfPresent(vars, "popfleet_jump", node.jump());
        putIfPresent(vars, "popfleet_node_tool", node.nodeTool());
        putIfPresent(vars, "popfleet_node_tool_path", node.nodeToolPath());
        if (!node.tags().isEmpty()) {
            vars.put(IniVariables.TAGS, String.join(",", YamlInventoryWriter.tagList(node)));
        }
        StringBuilder line = new StringBuilder(node.name());
        vars.forEach((key, value) -> line.append(' ').append(key).append('=')
                .append(IniTokens.quote(oneLine(value))));
        return line.append('\n').toString();
    }

    /**
     * A value as one line: INI has no escape for a line break, so a break (or any control character) in a stored
     * value would end the line and let the rest add a host or an {@code [all:vars]} section that Ansible obeys.
     * Imports and the API refuse such values; this is the second lock, for values stored before that check.
     */
    static String oneLine(String value) {
        StringBuilder out = new StringBuilder(value.length());
        value.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) || c == 0x2028 || c == 0x2029
                ? ' ' : c));
        return out.toString();
    }

    private static void putIfPresent(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
