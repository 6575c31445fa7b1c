package io.popfleet.backup;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Fleet identity backups: where archives go, how they are pulled, and the jobs that keep them (docs/backups.md). */
@ConfigMapping(prefix = "popfleet.backup")
public interface BackupConfig {

    /** The store's directory; default {@code <popfleet.data-dir>/backups}. */
    Optional<String> directory();

    /** Archives pulled at once by this controller. */
    @WithDefault("8")
    int pullConcurrency();

    /** The largest archive pulled (the node tool's are a few KiB: an identity and some settings). */
    @WithDefault("16777216")
    int maxArchiveBytes();

    /** Time one pull may take once connected. */
    @WithDefault("60s")
    Duration pullTimeout();

    /** Scheduled backups, retention and verification (off in tests, which run the jobs by hand). */
    @WithDefault("true")
    boolean jobsEnabled();

    /** How often the backup scheduler looks for groups that are due (read by its {@code @Scheduled}). */
    @WithDefault("5m")
    Duration tick();

    /** The scheduler's first look after start (the demo makes it 40 s, so the tour shows stored backups). */
    @WithDefault("2m")
    Duration firstTick();

    /** Archives restored into a scratch simulated node in each verification pass (0: none). */
    @WithDefault("3")
    int testRestoreSample();

    /** How often stored archives are re-hashed. */
    @WithDefault("24h")
    Duration verifyInterval();
}
