package io.popfleet.metrics;

import java.time.Duration;
import java.time.Instant;

/**
 * A node's newest backup as last seen, and whether it is stale: none at all, not verified against its checksum,
 * or older than {@code popfleet.metrics.backup-max-age}.
 */
public record NodeBackup(long nodeId, Instant observedAt, int count, String newestName, Instant newestAt,
        Long sizeBytes, String sha256, Boolean verified, boolean stale) {

    /** The newest backup's age in words (3h, 5d), or "none". */
    public String age() {
        if (newestAt == null) {
            return "none";
        }
        Duration age = Duration.between(newestAt, Instant.now());
        return age.toDays() > 0 ? age.toDays() + "d" : age.toHours() > 0 ? age.toHours() + "h"
                : Math.max(0, age.toMinutes()) + "m";
    }
}
