package io.popfleet.backup;

import java.time.Instant;

import io.popfleet.database.SqlRow;

/**
 * One node's backups in the store, for the backups page and {@code GET /api/v1/backups/nodes}.
 *
 * @param newestId the node's newest verified stored archive (what the fleet page and {@code backup_stale} read), or
 *        null when it has none
 * @param lastVerifiedAt the last verification of any of its archives
 * @param lastVerifyOk whether that last verification passed
 * @param failed how many of its stored archives failed their last verification
 * @param stale no verified stored copy, or the newest older than {@code popfleet.metrics.backup-max-age}
 */
public record NodeBackups(long nodeId, String nodeName, boolean enabled, long stored, Long newestId,
        String newestName, Instant newestAt, Long sizeBytes, String keyId, Instant lastVerifiedAt,
        Boolean lastVerifyOk, long failed, boolean stale) {

    /** The newest verified copy's age, as the fleet page shows it ({@code none} without one). */
    public String age() {
        if (newestAt == null) {
            return "none";
        }
        java.time.Duration age = java.time.Duration.between(newestAt, Instant.now());
        return age.toDays() > 0 ? age.toDays() + "d" : age.toHours() > 0 ? age.toHours() + "h"
                : Math.max(0, age.toMinutes()) + "m";
    }

    static NodeBackups of(SqlRow r, Instant oldest) {
        Instant newest = r.instant("newest_at");
        return new NodeBackups(r.whole("node_id"), r.text("node_name"), r.flag("enabled"), r.whole("stored"),
                r.whole("newest_id"), r.text("newest_name"), newest, r.whole("size_bytes"), r.text("key_id"),
                r.instant("last_verified_at"), r.flag("last_verify_ok"), r.whole("failed"),
                newest == null || newest.isBefore(oldest));
    }
}
