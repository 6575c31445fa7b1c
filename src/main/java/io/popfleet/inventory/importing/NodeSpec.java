package io.popfleet.inventory.importing;

import java.util.List;
import java.util.SortedMap;

/**
 * One node as an inventory file describes it, with every default applied and every group/vars inheritance
 * resolved, and where in the file it came from.
 *
 * @param groups sorted, distinct group names
 * @param tags tag key to value; a plain tag ({@code eu}) has a {@code null} value
 * @param jump the name of the inventory entry through which this node is reached (a bastion); null: directly
 * @param nodeTool {@code shipped} or {@code installed}; null: the controller's {@code popfleet.node-tool.mode}
 * @param nodeToolPath the installed node tool (absolute path or command name); null: the controller's
 */
public record NodeSpec(
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
        SourcePosition position) {

    public static final int DEFAULT_SSH_PORT = 22;
    public static final String DEFAULT_SSH_USER = "popfleet";
}
