package io.popfleet.inventory;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * A node as a client creates or replaces it. Shape checks happen here; the inventory rules (hostnames, users,
 * wallets, tags) are the importer's, applied by {@link NodeService} so the API and files agree.
 *
 * @param tags {@code key} or {@code key=value} strings
 * @param jump the name of another node through which this one is reached (a bastion); blank or null: directly
 * @param nodeTool {@code shipped} or {@code installed}; blank or null: the controller's setting
 * @param nodeToolPath the installed node tool, an absolute path or a command name; blank or null: the controller's
 * @param version for an update, the version the client read; a stale one is refused
 */
public record NodeInput(
        @NotBlank String name,
        @NotBlank String host,
        @Min(1) @Max(65535) Integer sshPort,
        String sshUser,
        String credentialRef,
        Boolean enabled,
        String region,
        String walletAddress,
        @Size(max = 2000) String notes,
        String jump,
        String nodeTool,
        String nodeToolPath,
        List<String> groups,
        List<String> tags,
        Long version) {
}
