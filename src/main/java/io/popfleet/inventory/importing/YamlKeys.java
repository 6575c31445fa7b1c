package io.popfleet.inventory.importing;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The YAML format's vocabulary: which keys exist where, what they set, and the near-misses worth a hint. */
final class YamlKeys {

    static final int SUPPORTED_VERSION = 1;

    static final Set<String> TOP_KEYS = Set.of("version", "defaults", "groups", "nodes");
    static final Set<String> GROUP_KEYS = Set.of("description", "vars");
    static final Map<String, String> GROUP_SYNONYMS = Map.of("desc", "description", "variables", "vars",
            "defaults", "vars");
    /** Keys of {@code defaults} and of a group's {@code vars}, in export order. */
    static final Map<String, NodeField> VAR_KEYS = ordered("ssh_user", NodeField.USER, "ssh_port", NodeField.PORT,
            "credential", NodeField.CREDENTIAL, "enabled", NodeField.ENABLED, "region", NodeField.REGION,
            "jump", NodeField.JUMP, "node_tool", NodeField.NODE_TOOL, "node_tool_path", NodeField.NODE_TOOL_PATH);
    /** Single-valued keys of a node, in export order; a node also has {@code groups} and {@code tags}. */
    static final Map<String, NodeField> NODE_KEYS = ordered("name", NodeField.NAME, "host", NodeField.HOST,
            "port", NodeField.PORT, "user", NodeField.USER, "credential", NodeField.CREDENTIAL,
            "enabled", NodeField.ENABLED, "region", NodeField.REGION, "wallet", NodeField.WALLET,
            "notes", NodeField.NOTES, "jump", NodeField.JUMP, "node_tool", NodeField.NODE_TOOL,
            "node_tool_path", NodeField.NODE_TOOL_PATH);
    static final Set<String> NODE_ALL_KEYS = union(NODE_KEYS.keySet(), Set.of("groups", "tags"));

    static final Map<String, String> VAR_SYNONYMS = Map.of("port", "ssh_port", "user", "ssh_user",
            "username", "ssh_user", "credential_ref", "credential", "key", "credential", "tool", "node_tool",
            "tool_path", "node_tool_path");
    static final Map<String, String> NODE_SYNONYMS = Map.ofEntries(Map.entry("ssh_port", "port"),
            Map.entry("ssh_user", "user"), Map.entry("username", "user"), Map.entry("address", "host"),
            Map.entry("ip", "host"), Map.entry("hostname", "host"), Map.entry("ansible_host", "host"),
            Map.entry("tag", "tags"), Map.entry("group", "groups"), Map.entry("note", "notes"),
            Map.entry("wallet_address", "wallet"), Map.entry("credential_ref", "credential"),
            Map.entry("key", "credential"), Map.entry("bastion", "jump"), Map.entry("proxy_jump", "jump"),
            Map.entry("jump_host", "jump"), Map.entry("tool", "node_tool"), Map.entry("tool_path", "node_tool_path"));

    private YamlKeys() {
    }

    private static Map<String, NodeField> ordered(Object... keysAndFields) {
        Map<String, NodeField> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndFields.length; i += 2) {
            map.put((String) keysAndFields[i], (NodeField) keysAndFields[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
