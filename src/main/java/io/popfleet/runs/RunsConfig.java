package io.popfleet.runs;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How this controller executes runs. */
@ConfigMapping(prefix = "popfleet.runs")
public interface RunsConfig {

    /** Targets this controller runs at once; the SSH engine bounds connects separately. */
    @WithDefault("200")
    int concurrency();

    /** Seconds a target may run on a node before the controller gives up on it (classified {@code timeout}). */
    @WithDefault("300")
    int execTimeoutSeconds();

    /** Seconds without a heartbeat after which another controller treats a claim as orphaned. */
    @WithDefault("60")
    int orphanAfterSeconds();

    /** Characters of stdout/stderr kept per target for the operator (failures keep their raw output). */
    @WithDefault("16384")
    int keptOutputChars();

    /** How often this controller looks for queued targets (it also starts at once when it plans a run). */
    @WithDefault("2s")
    String pollInterval();

    /** How often it tells other controllers it is alive, and sweeps theirs for orphans. */
    @WithDefault("10s")
    String heartbeatInterval();

    /**
     * Contact only nodes whose host is a loopback address literal (127.0.0.0/8, ::1); every other target fails as
     * {@code not_allowed} without a lookup or a connection. On in tests, and the demo fleet turns it on whenever it
     * runs (demo's {@code DemoLoopbackOnly}), so a lab or a demo never reaches beyond this machine, whatever
     * inventory is imported into it.
     */
    @WithDefault("false")
    boolean loopbackOnly();

    /** Off in tests that drive claims by hand. */
    @WithDefault("true")
    boolean executorEnabled();

    /** How long runs are kept ({@link RunRetention}). */
    Retention retention();

    /** Run retention: {@code popfleet.runs.retention.*}. */
    interface Retention {

        /**
         * A finished routine run (the monitor's polls) keeps its successful targets this long, for looking into a
         * recent poll; then only its failed targets and the count of successes stay (the answers themselves live on
         * in the node's history and newest status).
         */
        @WithDefault("1h")
        Duration routineDetail();

        /** Routine runs are deleted, failed targets and all, this long after they started. */
        @WithDefault("7d")
        Duration routineRuns();

        /** Every other run (an operator's) is deleted this long after it started; the audit trail keeps its start. */
        @WithDefault("365d")
        Duration runs();

        /** How often retention looks for work. */
        @WithDefault("10m")
        Duration every();

        /** Off in tests that place runs of chosen ages and apply retention themselves. */
        @WithDefault("true")
        boolean enabled();
    }
}
