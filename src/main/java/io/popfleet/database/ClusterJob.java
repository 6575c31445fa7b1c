package io.popfleet.database;

/**
 * Every job that must run once per cluster (several controllers on one database), with its PostgreSQL advisory lock
 * key. The keys live here, in one list, so no two jobs can share one by accident; a key never changes once shipped
 * (a controller of the previous release may still hold it during a rolling upgrade).
 */
public enum ClusterJob {
    /** Starting the monitor's {@code status} poll. */
    FLEET_POLL(1),
    /** Starting the monitor's backups and external-ranking check. */
    BACKUP_CHECK(2),
    /** The hourly leaderboard rank snapshot. */
    LEADERBOARD_SNAPSHOT(3),
    /** The nightly {@code node_metric} compaction. */
    HISTORY_COMPACTION(4),
    /** Creating {@code node_metric}'s monthly partitions ahead. */
    METRIC_PARTITIONS(5),
    /** Compacting routine runs and deleting runs past their retention. */
    RUN_RETENTION(6),
    /** Deleting expired login sessions. */
    SESSION_PURGE(7),
    /** Evaluating alert rules (serialised: an alert opens once whoever evaluates). */
    ALERT_EVALUATION(8),
    /** Moving every open rollout one step (the rollout engine's tick). */
    ROLLOUT_TICK(9),
    /** Starting the scheduled backup runs of groups that are due. */
    BACKUP_SCHEDULE(10),
    /** Deleting stored backups past their group's retention. */
    BACKUP_RETENTION(11),
    /** Re-hashing every stored backup. */
    BACKUP_VERIFY(12);

    /**
     * The first half of every key ({@code pg_try_advisory_xact_lock(int, int)}): "PoPF" in ASCII, so our locks
     * never meet another application's on a shared server.
     */
    public static final int NAMESPACE = 0x506F5046;

    private final int key;

    ClusterJob(int key) {
        this.key = key;
    }

    /** The second half of the job's advisory lock key. */
    public int key() {
        return key;
    }

    /** The job's row in {@code cluster_job}. */
    public String jobName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
