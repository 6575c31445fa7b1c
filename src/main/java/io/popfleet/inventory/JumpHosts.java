package io.popfleet.inventory;

import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.EntityManager;

import io.popfleet.api.ConflictProblem;
import io.popfleet.database.SqlRow;

/**
 * The inventory's rule for jump hosts, checked after every change that could break it (a node added or changed, a
 * bastion renamed or removed, an import): every node's jump host is another node of the inventory, reached directly.
 * One SQL check on the state as it would be committed, so each way of changing the inventory meets the same rule.
 */
final class JumpHosts {

    private JumpHosts() {
    }

    /** Refuses the caller's transaction when a node's jump host is missing or itself behind a jump host. */
    static void refuseBroken(EntityManager em) {
        em.flush();
        List<SqlRow> rows = SqlRow.list(SqlRow.query(em, "select n.name as node, n.jump as jump, b.jump as onward"
                + " from node n left join node b on lower(b.name) = lower(n.jump) and b.id <> n.id"
                + " where n.jump is not null and (b.id is null or b.jump is not null) order by n.name limit 5"));
        if (rows.isEmpty()) {
            return;
        }
        List<String> broken = new ArrayList<>();
        for (SqlRow row : rows) {
            String node = row.text("node");
            String jump = row.text("jump");
            String onward = row.text("onward");
            broken.add(onward == null
                    ? "node " + node + " goes through jump host " + jump + ", which would not be in the inventory"
                    : "node " + node + " goes through " + jump + ", which is itself reached through " + onward
                            + " (one hop is supported)");
        }
        throw new ConflictProblem("jump-host-missing", String.join("; ", broken)
                + ": change those nodes' jump host first, or keep the bastion as an entry (enabled: false keeps runs"
                + " off it)");
    }
}
