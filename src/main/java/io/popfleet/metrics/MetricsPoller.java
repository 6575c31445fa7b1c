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
import io.popfleet.ops.OperationCatalog;
import io.popfleet.runs.NodeSelection;
import io.popfleet.runs.Run;
import io.popfleet.runs.RunPlanner;
import io.popfleet.runs.RunState;

/**
 * Polls the fleet: every interval (with jitter) one {@code status} run over every enabled node, through the same
 * runs machinery as an operator's, so polls share the executor's limits and show in the run history. A poll is
 * skipped while the previous one is still running.
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

    private volatile Instant nextPoll = Instant.now().plusSeconds(30);
    private volatile Instant nextBackupCheck = Instant.now().plusSeconds(90);

    @Scheduled(every = "15s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (!config.enabled() || Instant.now().isBefore(nextPoll)) {
            return;
        }
        nextPoll = Instant.now().plus(jittered(config.pollInterval()));
        pollNow();
    }

    @Scheduled(every = "60s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void backupTick() {
        if (!config.enabled() || Instant.now().isBefore(nextBackupCheck)) {
            return;
        }
        nextBackupCheck = Instant.now().plus(jittered(config.backupCheckInterval()));
        checkBackupsNow();
    }

    /**
     * Asks every enabled node for its backups and for its place in an external ranking (where the node has a
     * ranking source), unless the previous check is still running; answers the backups run.
     */
    @Transactional
    public Optional<Run> checkBackupsNow() {
        if (Run.count("startedBy = ?1 and state = ?2 and operation = ?3", ACTOR, RunState.RUNNING,
                "list-backups") > 0) {
            return Optional.empty();
        }
        try {
            Run backups = planner.plan(catalog.call("list-backups"), NodeSelection.all(),
                    ACTOR);
            planner.plan(catalog.call("leaderboard"), NodeSelection.all(), ACTOR);
            return Optional.of(backups);
        } catch (ProblemException noNodes) {
            return Optional.empty();
        }
    }

    /** Starts a poll now unless one is still running; answers the run, if one was started. */
    @Transactional
    public Optional<Run> pollNow() {
        long running = Run.count("startedBy = ?1 and state = ?2 and operation = ?3", ACTOR, RunState.RUNNING, "status");
        if (running > 0) {
            LOG.info("skipping a fleet poll: the previous one is still running");
            return Optional.empty();
        }
        try {
            return Optional.of(planner.plan(catalog.call("status"),
                    NodeSelection.all(), ACTOR));
        } catch (ProblemException noNodes) {
            return Optional.empty();
        }
    }

    private Duration jittered(Duration interval) {
        double spread = interval.toMillis() * config.jitter();
        long offset = (long) (ThreadLocalRandom.current().nextDouble(-spread, spread + 1));
        return interval.plusMillis(offset);
    }
}
