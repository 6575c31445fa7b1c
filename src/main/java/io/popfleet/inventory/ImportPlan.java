package io.popfleet.inventory;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;

import io.popfleet.inventory.importing.ImportProblem;
import io.popfleet.inventory.importing.InventoryFormat;
import io.popfleet.inventory.importing.NodeSpec;

/**
 * What importing a file would do, computed without writing anything. Applying recomputes the plan in the
 * writing transaction and refuses if its {@code fingerprint} differs from the one the operator previewed.
 *
 * @param remove names of nodes the file no longer lists; only filled when the import prunes
 * @param unchanged how many nodes the file lists exactly as stored
 */
public record ImportPlan(
        InventoryFormat format,
        boolean prune,
        List<NodeSpec> add,
        List<NodeChange> change,
        List<String> remove,
        int unchanged,
        List<String> newGroups,
        List<ImportProblem> warnings,
        String fingerprint) {

    /** A node the file describes differently from the inventory. */
    public record NodeChange(long id, String name, List<NodeDiff.FieldChange> fields,
            @JsonIgnore NodeSpec spec) {
    }

    public boolean isNoop() {
        return add.isEmpty() && change.isEmpty() && remove.isEmpty() && newGroups.isEmpty();
    }
}
