package io.popfleet.inventory.importing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads the YAML format's tree into node drafts and groups, applying its precedence: a node's field comes from,
 * first match wins, the node itself, the first group in the node's {@code groups} list whose {@code vars} set it,
 * {@code defaults}, the built-in default (applied by {@link NodeSpecValidator}).
 */
final class YamlInventoryReader {

    private final YamlFields yaml;
    private final SortedMap<String, String> groups = new TreeMap<>();
    private final Map<String, Map<NodeField, Located>> groupVars = new HashMap<>();
    private final List<NodeDraft> drafts = new ArrayList<>();

    YamlInventoryReader(Problems problems) {
        this.yaml = new YamlFields(problems);
    }

    /** Reads the whole tree; problems go to the collector, what could be read is kept. */
    void read(Node root) throws InventoryRejectedException {
        Map<String, Node> top = yaml.mapping(root, "the file", YamlKeys.TOP_KEYS, Map.of());
        if (top == null) {
            return;
        }
        checkVersion(root, top.get("version"));
        if (!top.containsKey("nodes")) {
            // An explicit "nodes: []" empties a fleet; a missing key is more likely a mistake, and a pruning
            // import of it would remove every node.
            yaml.error(root, "the file has no 'nodes:' list (write 'nodes: []' for an inventory without nodes)");
        }
        Map<NodeField, Located> defaults = vars(top.get("defaults"), "defaults");
        readGroups(top.get("groups"));
        List<Node> nodeItems = yaml.sequence(top.get("nodes"), "nodes");
        if (nodeItems.size() > InventoryLimits.MAX_NODES) {
            throw Problems.rejection("the file has " + nodeItems.size() + " nodes; the limit is "
                    + InventoryLimits.MAX_NODES);
        }
        for (Node item : nodeItems) {
            NodeDraft draft = node(item, defaults);
            if (draft != null) {
                drafts.add(draft);
            }
        }
    }

    List<NodeDraft> drafts() {
        return drafts;
    }

    SortedMap<String, String> groups() {
        return Collections.unmodifiableSortedMap(groups);
    }

    private void checkVersion(Node root, Node versionNode) {
        Located version = versionNode == null ? null : yaml.scalar(versionNode, "version");
        if (versionNode == null) {
            yaml.error(root, "the file has no 'version: " + YamlKeys.SUPPORTED_VERSION + "' line");
        } else if (version != null && !version.value().equals(String.valueOf(YamlKeys.SUPPORTED_VERSION))) {
            yaml.error(versionNode, "version " + version.value() + " is not supported (this controller reads "
                    + "version " + YamlKeys.SUPPORTED_VERSION + ")");
        }
    }

    private Map<NodeField, Located> vars(Node node, String what) {
        Map<NodeField, Located> vars = new EnumMap<>(NodeField.class);
        if (node == null) {
            return vars;
        }
        Map<String, Node> entries = yaml.mapping(node, what, YamlKeys.VAR_KEYS.keySet(), YamlKeys.VAR_SYNONYMS);
        if (entries != null) {
            entries.forEach((key, value) -> {
                Located located = yaml.scalar(value, key + " in " + what);
                if (located != null) {
                    vars.put(YamlKeys.VAR_KEYS.get(key), located);
                }
            });
        }
        return vars;
    }

    private void readGroups(Node node) {
        if (node == null) {
            return;
        }
        Map<String, Node> entries = yaml.mapping(node, "groups", null, Map.of());
        if (entries == null) {
            return;
        }
        entries.forEach((name, value) -> {
            String what = "group '" + name + "'";
            NodeRules.group(name).ifPresent(problem -> yaml.error(value, problem));
            Map<String, Node> fields = yaml.mapping(value, what, YamlKeys.GROUP_KEYS, YamlKeys.GROUP_SYNONYMS);
            if (fields == null) {
                return;
            }
            Located description = fields.containsKey("description")
                    ? yaml.scalar(fields.get("description"), "description of " + what) : null;
            if (description != null) {
                NodeRules.groupDescription(name, description.value())
                        .ifPresent(problem -> yaml.error(fields.get("description"), problem));
            }
            groups.put(name, description == null ? null : description.value());
            groupVars.put(name, vars(fields.get("vars"), "vars of " + what));
        });
    }

    private NodeDraft node(Node item, Map<NodeField, Located> defaults) {
        int problemsBefore = yaml.problemCount();
        Map<String, Node> fields = yaml.mapping(item, "a node", YamlKeys.NODE_ALL_KEYS, YamlKeys.NODE_SYNONYMS);
        if (fields == null) {
            return null;
        }
        NodeDraft draft = new NodeDraft(YamlFields.at(item));
        YamlKeys.NODE_KEYS.forEach((key, field) -> {
            if (fields.containsKey(key)) {
                Located value = yaml.scalar(fields.get(key), key);
                if (value != null) {
                    draft.set(field, value);
                }
            }
        });
        for (Node groupNode : yaml.sequence(fields.get("groups"), "groups")) {
            Located group = yaml.scalar(groupNode, "a group name");
            if (group == null) {
                continue;
            }
            if (!groups.containsKey(group.value())) {
                yaml.error(groupNode, "group '" + group.value() + "' is not declared under groups:"
                        + Suggestions.didYouMean(group.value(), groups.keySet()));
            } else if (draft.groups().contains(group.value())) {
                yaml.error(groupNode, "group '" + group.value() + "' is listed twice");
            } else {
                draft.addGroup(group.value());
                // The node's first-listed group wins: later groups only fill what is still unset.
                groupVars.get(group.value()).forEach(draft::setIfAbsent);
            }
        }
        defaults.forEach(draft::setIfAbsent);
        List<Located> tags = new ArrayList<>();
        for (Node tagNode : yaml.sequence(fields.get("tags"), "tags")) {
            Located tag = yaml.scalar(tagNode, "a tag");
            if (tag != null) {
                tags.add(tag);
            }
        }
        draft.setTags(tags);
        // A node whose shape is already wrong is not validated further: "has no name" after "name must be a
        // single value" would only repeat the problem.
        return yaml.problemCount() == problemsBefore ? draft : null;
    }
}
