package io.popfleet.inventory.importing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes an inventory in either format, deterministically (nodes by name, groups by name, fixed key order), so
 * the same inventory always exports to the same bytes and parsing the export yields the same {@link NodeSpec}s.
 */
public final class InventoryExporter {

    public String export(List<NodeSpec> nodes, SortedMap<String, String> groups, InventoryFormat format) {
        List<NodeSpec> sorted = new ArrayList<>(nodes);
        sorted.sort(Comparator.comparing(NodeSpec::name));
        // Every group a node is in is declared, even if the caller's group map missed it: YAML requires it.
        SortedMap<String, String> allGroups = new TreeMap<>(groups);
        sorted.forEach(node -> node.groups().forEach(g -> allGroups.putIfAbsent(g, null)));
        return switch (format) {
            case YAML -> YamlInventoryWriter.write(sorted, allGroups);
            case INI -> IniInventoryWriter.write(sorted, allGroups);
        };
    }

    /** Exports a parsed file, e.g. to convert it from one format to the other. */
    public String export(ParsedInventory inventory, InventoryFormat format) {
        return export(inventory.nodes(), inventory.groups(), format);
    }
}
