package io.popfleet.inventory.importing;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A node as a parser assembled it, before validation: raw text values, each remembering the line it came from
 * (which may be a group's or the defaults' line, not the node's). {@link NodeSpecValidator} turns it into a
 * {@link NodeSpec}.
 */
final class NodeDraft {

    private final SourcePosition position;
    private final Map<NodeField, Located> fields = new EnumMap<>(NodeField.class);
    private final TreeSet<String> groups = new TreeSet<>();
    private List<Located> tags = new ArrayList<>();

    NodeDraft(SourcePosition position) {
        this.position = position;
    }

    SourcePosition position() {
        return position;
    }

    /** Sets a field; a later call replaces an earlier one, which is how each format applies its precedence. */
    void set(NodeField field, Located value) {
        fields.put(field, value);
    }

    /** Sets a field only when nothing with higher precedence set it already. */
    void setIfAbsent(NodeField field, Located value) {
        fields.putIfAbsent(field, value);
    }

    Located get(NodeField field) {
        return fields.get(field);
    }

    void addGroup(String group) {
        groups.add(group);
    }

    List<String> groups() {
        return List.copyOf(groups);
    }

    /** Replaces the whole tag list: tags are one value, never merged across levels. */
    void setTags(List<Located> tags) {
        this.tags = new ArrayList<>(tags);
    }

    List<Located> tags() {
        return tags;
    }
}
