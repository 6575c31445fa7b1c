package io.popfleet.inventory;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.popfleet.ssh.NodeTool;
import io.popfleet.ssh.SshTarget;

/**
 * The one place an inventory entry becomes an {@link SshTarget}: its address, login and credential, the bastion
 * of a node behind a jump host, and its own choice of node tool (shipped or installed) where it makes one. Runs, rollouts and backups all reach a node this way. Call inside a transaction.
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
        Map<String, SshTarget> bastions = new HashMap<>();
        if (!jumps.isEmpty()) {
            for (Node bastion : Node.<Node>list("lower(name) in ?1", jumps)) {
                bastions.put(bastion.name.toLowerCase(Locale.ROOT), direct(bastion));
            }
        }
        Map<Long, SshTarget> targets = new HashMap<>();
        for (Node node : nodes) {
            if (node.jump == null) {
                targets.put(node.id, direct(node));
            } else {
                SshTarget bastion = bastions.get(node.jump.toLowerCase(Locale.ROOT));
                if (bastion != null) {
                    targets.put(node.id, direct(node).via(bastion));
                }
            }
        }
        return targets;
    }

    private static SshTarget direct(Node node) {
        return new SshTarget(node.id, node.name, node.host, node.sshPort, node.sshUser, node.credentialRef, null,
                NodeTool.ofNode(node.nodeTool, node.nodeToolPath));
    }
}
