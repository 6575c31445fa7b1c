package io.popfleet.testing;

import io.quarkus.narayana.jta.QuarkusTransaction;

import io.popfleet.inventory.Node;
import io.popfleet.inventory.NodeGroup;

/** Test data helpers for the inventory: every test starts from an empty fleet. */
public final class Inventory {

    private Inventory() {
    }

    public static void clear() {
        QuarkusTransaction.requiringNew().run(() -> {
            Node.getEntityManager().createNativeQuery("truncate node, node_group, node_group_member, node_tag cascade")
                    .executeUpdate();
            emptyAuditTrail();
        });
    }

    /**
     * An empty fleet and no runs: truncating the inventory also empties every table that refers to a node (history,
     * status, backups, alerts, rankings, run targets); runs refer to none, so they go explicitly.
     */
    public static void clearWithRuns() {
        // run_target first: the executor's claim locks run_target rows, then run; truncating in the same order
        // makes the truncate wait for a claim in flight instead of deadlocking with it.
        QuarkusTransaction.requiringNew().run(() -> {
            Node.getEntityManager().createNativeQuery(
                    "truncate run_target, run, node, node_group, node_group_member, node_tag cascade").executeUpdate();
            emptyAuditTrail();
        });
    }

    /** Through the retention function: the only delete the audit table's append-only trigger allows. */
    private static void emptyAuditTrail() {
        Node.getEntityManager().createNativeQuery("select audit_purge_before('infinity')").getSingleResult();
    }

    public static long count() {
        return QuarkusTransaction.requiringNew().call(() -> Node.count());
    }

    public static long groupCount() {
        return QuarkusTransaction.requiringNew().call(() -> NodeGroup.count());
    }
}
