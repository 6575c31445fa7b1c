package io.popfleet.inventory.importing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Writes the YAML format from plain maps and lists; SnakeYAML quotes any string that would read back as another
 * type ({@code "no"}, {@code "123"}).
 */
final class YamlInventoryWriter {

    private YamlInventoryWriter() {
    }

    static String write(List<NodeSpec> nodes, SortedMap<String, String> groups) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", YamlKeys.SUPPORTED_VERSION);
        Map<String, Object> groupMap = new LinkedHashMap<>();
        groups.forEach((name, description) -> {
            Map<String, Object> group = new LinkedHashMap<>();
            if (description != null) {
                group.put("description", description);
            }
            groupMap.put(name, group);
        });
        if (!groupMap.isEmpty()) {
            root.put("groups", groupMap);
        }
        List<Object> nodeList = new ArrayList<>();
        for (NodeSpec node : nodes) {
            nodeList.add(node(node));
        }
        root.put("nodes", nodeList);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setWidth(120);
        options.setSplitLines(false);
        options.setLineBreak(DumperOptions.LineBreak.UNIX);
        return "# PoP Fleet inventory (docs/inventory.md)\n" + new Yaml(options).dump(root);
    }

    /** Only what differs from the built-in defaults is written, to keep the file readable. */
    private static Map<String, Object> node(NodeSpec node) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", node.name());
        map.put("host", node.host());
        if (node.sshPort() != NodeSpec.DEFAULT_SSH_PORT) {
            map.put("port", node.sshPort());
        }
        if (!NodeSpec.DEFAULT_SSH_USER.equals(node.sshUser())) {
            map.put("user", node.sshUser());
        }
        putIfPresent(map, "credential", node.credentialRef());
        if (!node.enabled()) {
            map.put("enabled", false);
        }
        putIfPresent(map, "region", node.region());
        putIfPresent(map, "wallet", node.walletAddress());
        putIfPresent(map, "notes", node.notes());
        putIfPresent(map, "jump", node.jump());
        putIfPresent(map, "node_tool", node.nodeTool());
        putIfPresent(map, "node_tool_path", node.nodeToolPath());
        if (!node.groups().isEmpty()) {
            map.put("groups", node.groups().stream().sorted().toList());
        }
        if (!node.tags().isEmpty()) {
            map.put("tags", tagList(node));
        }
        return map;
    }

    static List<String> tagList(NodeSpec node) {
        List<String> tags = new ArrayList<>();
        node.tags().forEach((key, value) -> tags.add(value == null ? key : key + "=" + value));
        return tags;
    }

    private static void putIfPresent(Map<String, Object> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
