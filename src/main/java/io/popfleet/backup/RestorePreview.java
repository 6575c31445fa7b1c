package io.popfleet.backup;

import java.time.Instant;
import java.util.List;

/**
 * What a restore or a migration will do, shown before it is confirmed: the backup, the node it goes to and what that
 * node holds now (its identity's fingerprint beside the backup's), the files replaced, warnings, and the
 * confirmation to send back. The confirmation covers all of it: when the node's identity changes in between, the
 * old one no longer starts anything.
 *
 * @param kind {@code restore} (onto the backup's own node) or {@code migrate} (onto a new host)
 * @param target the node written to: the backup's node, or the new host's name for a migration
 * @param targetHost the address that node is reached at
 * @param registeredIp the IP the backup's identity registered from (Pipe binds the identity to it)
 * @param current what the target holds now; unreachable when it did not answer
 * @param sameIdentity whether the target's identity is byte-identical to the backup's already
 * @param replaces what the restore writes on the target (names inside the archive)
 * @param oldNode for a migration, the node the identity leaves (stopped and disabled), else null
 * @param oldHost its address, else null
 */
public record RestorePreview(String kind, long archiveId, String archiveName, Instant madeAt, String target,
        String targetHost, String backupFingerprint, String backupPipeNodeId, String registeredIp,
        NodeProbe.Probe current, boolean sameIdentity, List<String> replaces, List<String> warnings, String oldNode,
        String oldHost, String confirm) {
}
