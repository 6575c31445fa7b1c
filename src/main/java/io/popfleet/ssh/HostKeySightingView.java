package io.popfleet.ssh;

import java.time.Instant;

/** A key a node offered and we refused: {@code unpinned} (strict, awaiting approval) or {@code mismatch}. */
public record HostKeySightingView(long nodeId, String nodeName, String fingerprint, String publicKey, String reason,
        Instant firstSeen, Instant lastSeen) {
}
