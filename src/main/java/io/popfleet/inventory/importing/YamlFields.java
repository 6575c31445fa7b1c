package io.popfleet.inventory.importing;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads SnakeYAML's node tree with positions: every key checked against the keys the format knows, duplicate
 * keys and anchors refused, every problem reported at its line and column.
 */
final class YamlFields {

    private final Problems problems;

    YamlFields(Problems problems) {
        this.problems = problems;
    }

    static SourcePosition at(Node node) {
        Mark mark = node.getStartMark();
        return mark == null ? SourcePosition.UNKNOWN : new SourcePosition(mark.getLine() + 1, mark.getColumn() + 1);
    }

    int problemCount() {
        return problems.count();
    }

    void error(Node node, String message) {
        problems.add(at(node), message);
    }

    /**
     * The entries of a mapping by key, in file order; unknown, duplicate and non-text keys are reported and left
     * out. {@code null} (reported) when the node is not a mapping; an empty map for an empty ({@code ~}) value.
     */
    Map<String, Node> mapping(Node node, String what, Set<String> known, Map<String, String> synonyms) {
        if (!checkNode(node)) {
            return null;
        }
        if (isNull(node)) {
            return Map.of();
        }
        if (!(node instanceof MappingNode mapping)) {
            error(node, what + " must be a mapping of key: value lines, not " + kind(node));
            return null;
        }
        Map<String, Node> entries = new LinkedHashMap<>();
        Map<String, Node> keyNodes = new HashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!checkNode(keyNode)) {
                continue;
            }
            if (!(keyNode instanceof ScalarNode scalarKey) || isNull(keyNode)) {
                error(keyNode, "a key in " + what + " must be plain text");
                continue;
            }
            String key = scalarKey.getValue();
            if (known != null && !known.contains(key)) {
                String hint = key.equals("<<") ? " (YAML merge keys are not supported; use defaults or groups)"
                        : Suggestions.didYouMean(key, known, synonyms);
                error(keyNode, "unknown field '" + key + "' in " + what + hint);
                continue;
            }
            Node first = keyNodes.putIfAbsent(key, keyNode);
            if (first != null) {
                error(keyNode, "'" + key + "' is given twice in " + what + " (first on " + at(first) + ")");
                continue;
            }
            if (checkNode(tuple.getValueNode())) {
                entries.put(key, tuple.getValueNode());
            }
        }
        return entries;
    }

    /** A scalar's text with its position; {@code null} for a YAML null (the field is absent) or a reported error. */
    Located scalar(Node node, String what) {
        if (node == null || !checkNode(node) || isNull(node)) {
            return null;
        }
        if (!(node instanceof ScalarNode scalar)) {
            error(node, what + " must be a single value, not " + kind(node));
            return null;
        }
        return new Located(scalar.getValue(), at(node));
    }

    /** A sequence's items; a single scalar is refused so that {@code groups: eu} is not silently one group. */
    List<Node> sequence(Node node, String what) {
        if (node == null || !checkNode(node) || isNull(node)) {
            return List.of();
        }
        if (!(node instanceof SequenceNode sequence)) {
            error(node, what + " must be a list (- item lines or [a, b]), not " + kind(node));
            return List.of();
        }
        return sequence.getValue();
    }

    /** Refuses anchors/aliases and application-specific tags, which this format never needs. */
    private boolean checkNode(Node node) {
        if (node.getAnchor() != null) {
            error(node, "YAML anchors and aliases (&" + node.getAnchor() + ", *" + node.getAnchor()
                    + ") are not supported; use defaults or groups to share settings");
            return false;
        }
        Tag tag = node.getTag();
        if (!tag.startsWith(Tag.PREFIX)) {
            error(node, "YAML tag " + tag.getValue() + " is not allowed");
            return false;
        }
        return true;
    }

    private static boolean isNull(Node node) {
        return Tag.NULL.equals(node.getTag());
    }

    private static String kind(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return "'" + ((ScalarNode) node).getValue() + "'";
    }
}
