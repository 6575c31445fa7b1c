package io.popfleet.metrics;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Fleet monitoring. */
@ConfigMapping(prefix = "popfleet.metrics")
public interface MetricsConfig {

    /** Poll every enabled node with {@code pop status} this often. */
    @WithDefault("5m")
    Duration pollInterval();

    /** Each poll is moved by up to this fraction of the interval, so many controllers do not poll in step. */
    @WithDefault("0.1")
    double jitter();

    /** History rows older than this are deleted once a day. */
    @WithDefault("180")
    int retentionDays();

    /** History older than this keeps one row per node per hour (the newest of each hour). */
    @WithDefault("7d")
    Duration hourlyAfter();

    /** History older than this keeps one row per node per day. */
    @WithDefault("90d")
    Duration dailyAfter();

    /** How often every enabled node is asked for its backups ({@code pop list-backups}). */
    @WithDefault("6h")
    Duration backupCheckInterval();

    /** A node whose newest backup is older than this is flagged (identity files cannot be recovered if lost). */
    @WithDefault("7d")
    Duration backupMaxAge();

    @WithDefault("true")
    boolean enabled();
}
