package io.popfleet.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

import io.popfleet.api.ProblemException;
import io.popfleet.database.ClusterJob;
import io.popfleet.database.ClusterJobs;
import io.popfleet.ops.OperationCatalog;
import io.popfleet.runs.NodeSelection;
import io.popfleet.runs.Run;
import io.popfleet.runs.RunPlanner;
import io.popfleet.runs.RunState;

/**
 * Polls the fleet: every interval (with jitter) one {@code status} run over every enabled node, through the same
 * runs machinery as an operator's, so polls share the executor's limits and show in the run history. A poll is
 * skipped while the previous one is still running. With several controllers on one database each has its own timer,
 * but a poll starts once per cluster: starting one takes the cluster lock ({@link ClusterJobs}), and a timer finds
 * the poll another controller started within the interval.
 */
@ApplicationScoped
public class MetricsPoller {

    public static final String ACTOR = "monitor";
    private static final Logger LOG = Logger.getLogger(MetricsPoller.class);

    @Inject
    MetricsConfig config;

    @Inject
    RunPlanner planner;

    @Inject
    OperationCatalog catalog;

    @Inject
    ClusterJobs cluster;

    private volatile Instant nextPoll = Instant.now().plusSeconds(30);
    private volatile Instant nextBackupCheck = Instant.now().plusSeconds(90);

    @Scheduled(every = "15s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (!config.enabled() || Instant.now().isBefore(nextPoll)) {
            return;
        }
        nextPoll = Instant.now().plus(jittered(config.pollInterval()));
        startPoll(dueAfter(config.pollInterval()));
    }

    @Scheduled(every = "60s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void backupTick() {
        if (!config.enabled() || Instant.now().isBefore(nextBackupCheck)) {
            return;
        }
        nextBackupCheck = Instant.now().plus(jittered(config.backupCheckInterval()));
        startBackupCheck(dueAfter(config.backupCheckInterval()));
    }

    /**
     * Asks every enabled node for its backups and for its place in an external ranking (where the node has a
     * ranking source), unless the previous check is still running; answers the backups run.
     */
    @Transactional
    public Optional<Run> checkBackupsNow() {
        return startBackupCheck(Duration.ZERO);
    }

    /** Starts a poll now unless one is still running (on any controller); answers the run, if one was started. */
    @Transactional
    public Optional<Run> pollNow() {
        return startPoll(Duration.ZERO);
    }

    /**
     * Starts a {@code status} poll unless one is running or one started within {@code notWithin}. The cluster lock
     * makes the check and the insert one step: without it two controllers both see no poll and both start one.
     */
    @Transactional
    Optional<Run> startPoll(Duration notWithin) {
        if (!cluster.claimInTransaction(ClusterJob.FLEET_POLL) || busyOrRecent("status", notWithin)) {
            LOG.debug("skipping a fleet poll: one is running or has just started");
            return Optional.empty();
        }
        try {
            return Optional.of(planner.planRoutine(catalog.call("status"), NodeSelection.all(), ACTOR));
        } catch (ProblemException noNodes) {
            return Optional.empty();
        }
    }

    @Transactional
    Optional<Run> startBackupCheck(Duration notWithin) {
        if (!cluster.claimInTransaction(ClusterJob.BACKUP_CHECK) || busyOrRecent("list-backups", notWithin)) {
            return Optional.empty();
        }
        try {
            Run backups = planner.planRoutine(catalog.call("list-backups"), NodeSelection.all(), ACTOR);
            planner.planRoutine(catalog.call("leaderboard"), NodeSelection.all(), ACTOR);
            return Optional.of(backups);
        } catch (ProblemException noNodes) {
            return Optional.empty();
        }
    }

    /** A monitor run of {@code operation} is still running, or one was created less than {@code window} ago. */
    private static boolean busyOrRecent(String operation, Duration window) {
        return Run.count("startedBy = ?1 and operation = ?2 and (state = ?3 or createdAt > ?4)", ACTOR, operation,
                RunState.RUNNING, Instant.now().minus(window)) > 0;
    }

    /**
     * A timer's poll is due unless one started within most of the interval: less than this controller's own
     * shortest jittered gap, so its own polls are never skipped, while another controller's recent one is.
     */
    private Duration dueAfter(Duration interval) {
        return Duration.ofMillis((long) (interval.toMillis() * Math.max(0, 1 - 2 * config.jitter())));
    }

    private Duration jittered(Duration interval) {
        double spread = interval.toMillis() * config.jitter();
        long offset = (long) (ThreadLocalRandom.current().nextDouble(-spread, spread + 1));
        return interval.plusMillis(offset);
    }
}
