package io.popfleet.inventory;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.quarkus.hibernate.orm.panache.Panache;

import io.popfleet.database.SqlRow;
import io.popfleet.ssh.HostKeys;
import io.popfleet.ssh.NodeTool;
import io.popfleet.ssh.SshTarget;

/**
 * The one place an inventory entry becomes an {@link SshTarget}: its address, login and credential, the bastion
 * of a node behind a jump host, its own choice of node tool (shipped or installed) where it makes one, and its
 * pinned host key as it is now (so connecting needs no lookup of its own). Runs, rollouts and backups all reach a
 * node this way. Call inside a transaction.
 */
public final class NodeEndpoints {

    private NodeEndpoints() {
    }

    /** How to reach {@code node}; empty when its jump host is no longer in the inventory (the inventory refuses that). */
    public static Optional<SshTarget> of(Node node) {
        return Optional.ofNullable(of(List.of(node)).get(node.id));
    }

    /** How to reach each node, by id, with one query for all their bastions; a node whose bastion is gone is absent. */
    public static Map<Long, SshTarget> of(Collection<Node> nodes) {
        List<String> jumps = nodes.stream().map(node -> node.jump).filter(jump -> jump != null)
                .map(jump -> jump.toLowerCase(Locale.ROOT)).distinct().toList();
        List<Node> bastionNodes = jumps.isEmpty() ? List.of() : Node.<Node>list("lower(name) in ?1", jumps);
        List<Long> ids = new ArrayList<>(nodes.size() + bastionNodes.size());
        nodes.forEach(node -> ids.add(node.id));
        bastionNodes.forEach(bastion -> ids.add(bastion.id));
        Map<Long, PublicKey> pins = pins(ids);
        Map<String, SshTarget> bastions = new HashMap<>();
        for (Node bastion : bastionNodes) {
            bastions.put(bastion.name.toLowerCase(Locale.ROOT), direct(bastion, pins));
        }
        Map<Long, SshTarget> targets = new HashMap<>();
        for (Node node : nodes) {
            if (node.jump == null) {
                targets.put(node.id, direct(node, pins));
            } else {
                SshTarget bastion = bastions.get(node.jump.toLowerCase(Locale.ROOT));
                if (bastion != null) {
                    targets.put(node.id, direct(node, pins).via(bastion));
                }
            }
        }
        return targets;
    }

    private static SshTarget direct(Node node, Map<Long, PublicKey> pins) {
        return new SshTarget(node.id, node.name, node.host, node.sshPort, node.sshUser, node.credentialRef, null,
                NodeTool.ofNode(node.nodeTool, node.nodeToolPath), pins.get(node.id));
    }

    /** The pinned host keys of these nodes, one query; a pin that does not parse is left to the store to judge. */
    private static Map<Long, PublicKey> pins(List<Long> ids) {
        Map<Long, PublicKey> pins = new HashMap<>();
        if (ids.isEmpty()) {
            return pins;
        }
        for (SqlRow row : SqlRow.list(SqlRow.query(Panache.getEntityManager(),
                "select node_id, public_key from host_key_pin where node_id in (:ids)").setParameter("ids", ids))) {
            try {
                pins.put(row.whole("node_id"), HostKeys.parse(row.text("public_key")));
            } catch (RuntimeException unreadable) {
                // no pin carried: the verifier asks the store, which refuses or reports it as it always has
            }
        }
        return pins;
    }
}
