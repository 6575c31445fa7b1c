package io.popfleet.ssh;

import java.time.Instant;

/** A node's pinned host key as operators see it. */
public record HostKeyPinView(long nodeId, String nodeName, String publicKey, String fingerprint, String source,
        Instant pinnedAt, String pinnedBy) {
}
