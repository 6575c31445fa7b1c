package io.popfleet.inventory.importing;

import java.util.List;
import java.util.SortedMap;

/**
 * A whole inventory file, parsed and validated: nodes in file order, the groups it declares (name to
 * description, {@code null} where it has none) including groups with no nodes, and warnings that do not refuse
 * the file (an Ansible variable PoP Fleet does not use, say), each with its line.
 */
public record ParsedInventory(
        InventoryFormat format,
        List<NodeSpec> nodes,
        SortedMap<String, String> groups,
        List<ImportProblem> warnings) {
}
