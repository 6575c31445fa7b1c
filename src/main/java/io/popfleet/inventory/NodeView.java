package io.popfleet.inventory;

import java.time.Instant;
import java.util.List;
import java.util.SortedMap;

/** A node as the API and pages show it. */
public record NodeView(
        long id,
        String name,
        String host,
        int sshPort,
        String sshUser,
        String credentialRef,
        boolean enabled,
        String region,
        String walletAddress,
        String notes,
        String jump,
        String nodeTool,
        String nodeToolPath,
        List<String> groups,
        SortedMap<String, String> tags,
        Instant createdAt,
        Instant updatedAt,
        long version) {

    public static NodeView of(Node node) {
        return new NodeView(node.id, node.name, node.host, node.sshPort, node.sshUser, node.credentialRef,
                node.enabled, node.region, node.walletAddress, node.notes, node.jump, node.nodeTool,
                node.nodeToolPath, List.copyOf(node.groupNames()),
                node.tagMap(), node.createdAt, node.updatedAt, node.version);
    }
}
