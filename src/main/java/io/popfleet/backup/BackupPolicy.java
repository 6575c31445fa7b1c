package io.popfleet.backup;

import java.time.Instant;

import io.popfleet.database.SqlRow;

/**
 * A backup schedule and retention: of one group, or ({@code group} null) the default that every node in no group
 * follows.
 *
 * @param nodes the enabled nodes it covers (for the default: the enabled nodes in no group)
 */
public record BackupPolicy(String group, boolean enabled, int intervalHours, int keepLast, int keepDaily,
        int keepWeekly, Instant lastStartedAt, long nodes) {

    /** What an operator sets; every field is required. */
    public record Change(Boolean enabled, Integer intervalHours, Integer keepLast, Integer keepDaily,
            Integer keepWeekly) {

        /** What is wrong with it, every problem at once, or null when nothing is. */
        String problem() {
            StringBuilder wrong = new StringBuilder();
            if (enabled == null) {
                wrong.append("enabled is required (true or false); ");
            }
            if (intervalHours == null || intervalHours < 1 || intervalHours > 8760) {
                wrong.append("intervalHours must be 1 to 8760; ");
            }
            if (keepLast == null || keepLast < 1 || keepLast > 10_000) {
                wrong.append("keepLast must be 1 to 10000 (the last good copy is kept anyway); ");
            }
            if (keepDaily == null || keepDaily < 0 || keepDaily > 10_000) {
                wrong.append("keepDaily must be 0 to 10000; ");
            }
            if (keepWeekly == null || keepWeekly < 0 || keepWeekly > 10_000) {
                wrong.append("keepWeekly must be 0 to 10000; ");
            }
            return wrong.isEmpty() ? null : wrong.substring(0, wrong.length() - 2);
        }
    }

    public boolean isDefault() {
        return group == null;
    }

    static BackupPolicy of(SqlRow r) {
        return new BackupPolicy(r.text("group_name"), r.flag("enabled"), r.integer("interval_hours"),
                r.integer("keep_last"), r.integer("keep_daily"), r.integer("keep_weekly"),
                r.instant("last_started_at"), r.whole("nodes"));
    }
}
