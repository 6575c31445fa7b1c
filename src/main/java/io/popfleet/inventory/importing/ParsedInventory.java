package io.popfleet.inventory.importing;

import java.util.List;
import java.util.SortedMap;

/**
 * A whole inventory file, parsed and validated: nodes in file order, and the groups it declares (name to
 * description, {@code null} where it has none), including groups with no nodes.
 */
public record ParsedInventory(InventoryFormat format, List<NodeSpec> nodes, SortedMap<String, String> groups) {
}
