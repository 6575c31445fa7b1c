package io.popfleet.inventory.importing;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads PoP Fleet's YAML inventory (docs/inventory.md). Uses SnakeYAML's composed node tree, never object
 * construction, so nothing in the file can instantiate a class and every value keeps its line and column.
 *
 * <p>A node's field comes from, first match wins: the node itself, the first group in the node's {@code groups}
 * list whose {@code vars} set it, {@code defaults}, the built-in default.
 */
public final class YamlInventoryParser implements InventoryParser {

    static final int SUPPORTED_VERSION = 1;

    static final Set<String> TOP_KEYS = Set.of("version", "defaults", "groups", "nodes");
    static final Set<String> GROUP_KEYS = Set.of("description", "vars");
    /** Keys of {@code defaults} and of a group's {@code vars}, in export order. */
    static final Map<String, NodeField> VAR_KEYS = ordered("ssh_user", NodeField.USER, "ssh_port", NodeField.PORT,
            "credential", NodeField.CREDENTIAL, "enabled", NodeField.ENABLED, "region", NodeField.REGION);
    /** Single-valued keys of a node, in export order; a node also has {@code groups} and {@code tags}. */
    static final Map<String, NodeField> NODE_KEYS = ordered("name", NodeField.NAME, "host", NodeField.HOST,
            "port", NodeField.PORT, "user", NodeField.USER, "credential", NodeField.CREDENTIAL,
            "enabled", NodeField.ENABLED, "region", NodeField.REGION, "wallet", NodeField.WALLET,
            "notes", NodeField.NOTES);
    private static final Set<String> NODE_ALL_KEYS = union(NODE_KEYS.keySet(), Set.of("groups", "tags"));

    private static final Map<String, String> VAR_SYNONYMS = Map.of("port", "ssh_port", "user", "ssh_user",
            "username", "ssh_user", "credential_ref", "credential", "key", "credential");
    private static final Map<String, String> NODE_SYNONYMS = Map.ofEntries(Map.entry("ssh_port", "port"),
            Map.entry("ssh_user", "user"), Map.entry("username", "user"), Map.entry("address", "host"),
            Map.entry("ip", "host"), Map.entry("hostname", "host"), Map.entry("ansible_host", "host"),
            Map.entry("tag", "tags"), Map.entry("group", "groups"), Map.entry("note", "notes"),
            Map.entry("wallet_address", "wallet"), Map.entry("credential_ref", "credential"),
            Map.entry("key", "credential"));

    @Override
    public InventoryFormat format() {
        return InventoryFormat.YAML;
    }

    @Override
    public ParsedInventory parse(byte[] content) throws InventoryRejectedException {
        String text = InventoryText.decode(content);
        Node root = compose(text);
        if (root == null) {
            throw Problems.rejection("the file is empty (it has only comments)");
        }
        Problems problems = new Problems();
        YamlFields yaml = new YamlFields(problems);
        Map<String, Node> top = yaml.mapping(root, "the file", TOP_KEYS, Map.of());
        if (top == null) {
            problems.throwIfAny();
        }
        checkVersion(yaml, root, top.get("version"));
        Map<NodeField, Located> defaults = vars(yaml, top.get("defaults"), "defaults");
        SortedMap<String, String> groups = new TreeMap<>();
        Map<String, Map<NodeField, Located>> groupVars = new HashMap<>();
        readGroups(yaml, top.get("groups"), groups, groupVars);
        List<NodeDraft> drafts = new ArrayList<>();
        List<Node> nodeItems = yaml.sequence(top.get("nodes"), "nodes");
        if (nodeItems.size() > InventoryLimits.MAX_NODES) {
            throw Problems.rejection("the file has " + nodeItems.size() + " nodes; the limit is "
                    + InventoryLimits.MAX_NODES);
        }
        for (Node item : nodeItems) {
            NodeDraft draft = node(yaml, item, defaults, groups, groupVars);
            if (draft != null) {
                drafts.add(draft);
            }
        }
        List<NodeSpec> specs = new NodeSpecValidator(problems).validateAll(drafts);
        problems.throwIfAny();
        return new ParsedInventory(InventoryFormat.YAML, List.copyOf(specs), Collections.unmodifiableSortedMap(groups),
                List.of());
    }

    private static Node compose(String text) throws InventoryRejectedException {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(InventoryLimits.MAX_BYTES);
        options.setNestingDepthLimit(20);
        // Anchors are refused with a position when read; this bound stops an alias bomb before that.
        options.setMaxAliasesForCollections(10);
        options.setAllowRecursiveKeys(false);
        options.setMergeOnCompose(false);
        try {
            return new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String reason = "not valid YAML: " + e.getProblem()
                    + (e.getContext() != null ? " (" + e.getContext() + ")" : "");
            SourcePosition position = mark == null ? SourcePosition.UNKNOWN
                    : new SourcePosition(mark.getLine() + 1, mark.getColumn() + 1);
            throw new InventoryRejectedException(List.of(ImportProblem.at(position, reason)));
        } catch (YAMLException e) {
            throw Problems.rejection("not valid YAML: " + e.getMessage());
        }
    }

    private static void checkVersion(YamlFields yaml, Node root, Node versionNode) {
        Located version = versionNode == null ? null : yaml.scalar(versionNode, "version");
        if (versionNode == null) {
            yaml.error(root, "the file has no 'version: " + SUPPORTED_VERSION + "' line");
        } else if (version != null && !version.value().equals(String.valueOf(SUPPORTED_VERSION))) {
            yaml.error(versionNode, "version " + version.value() + " is not supported (this controller reads "
                    + "version " + SUPPORTED_VERSION + ")");
        }
    }

    private static Map<NodeField, Located> vars(YamlFields yaml, Node node, String what) {
        Map<NodeField, Located> vars = new EnumMap<>(NodeField.class);
        if (node == null) {
            return vars;
        }
        Map<String, Node> entries = yaml.mapping(node, what, VAR_KEYS.keySet(), VAR_SYNONYMS);
        if (entries != null) {
            entries.forEach((key, value) -> {
                Located located = yaml.scalar(value, key + " in " + what);
                if (located != null) {
                    vars.put(VAR_KEYS.get(key), located);
                }
            });
        }
        return vars;
    }

    private static void readGroups(YamlFields yaml, Node node, SortedMap<String, String> groups,
            Map<String, Map<NodeField, Located>> groupVars) {
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
            Map<String, Node> fields = yaml.mapping(value, what, GROUP_KEYS, Map.of("vars", "vars"));
            if (fields == null) {
                return;
            }
            Located description = fields.containsKey("description")
                    ? yaml.scalar(fields.get("description"), "description of " + what) : null;
            if (description != null) {
                NodeRules.notes(description.value()).ifPresent(
                        problem -> yaml.error(fields.get("description"), "description of " + what + ": " + problem));
            }
            groups.put(name, description == null ? null : description.value());
            groupVars.put(name, vars(yaml, fields.get("vars"), "vars of " + what));
        });
    }

    private static NodeDraft node(YamlFields yaml, Node item, Map<NodeField, Located> defaults,
            SortedMap<String, String> groups, Map<String, Map<NodeField, Located>> groupVars) {
        int problemsBefore = yaml.problemCount();
        Map<String, Node> fields = yaml.mapping(item, "a node", NODE_ALL_KEYS, NODE_SYNONYMS);
        if (fields == null) {
            return null;
        }
        NodeDraft draft = new NodeDraft(YamlFields.at(item));
        NODE_KEYS.forEach((key, field) -> {
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

    private static Map<String, NodeField> ordered(Object... keysAndFields) {
        Map<String, NodeField> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndFields.length; i += 2) {
            map.put((String) keysAndFields[i], (NodeField) keysAndFields[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
