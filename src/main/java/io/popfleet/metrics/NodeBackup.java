package io.popfleet.metrics;

import java.time.Duration;
import java.time.Instant;

/**
 * A node's newest verified copy in the controller's backup store, and whether it is stale: none at all, or older
 * than {@code popfleet.metrics.backup-max-age}. {@code count} is its verified stored copies; {@code observedAt} when
 * the node was last asked for its own list (null if never).
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
