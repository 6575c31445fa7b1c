package io.popfleet.runs;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

import io.popfleet.database.ClusterJob;
import io.popfleet.database.ClusterJobs;

/**
 * Keeps {@code run}/{@code run_target} from growing without end. The monitor's polls add one target per node every
 * few minutes (2.9 M rows a day at 10,000 nodes): once a routine run has finished and its detail period passed,
 * its successful targets are removed and counted on the run ({@code compacted_ok}), its failures stay to be looked
 * into; routine runs go entirely after a week, an operator's runs after a year. Once per cluster, in batches, so no
 * transaction holds a whole day's rows.
 */
@ApplicationScoped
public class RunRetention {

    private static final Logger LOG = Logger.getLogger(RunRetention.class);
    /** Runs compacted per transaction: 20 polls of 10,000 nodes is 200,000 rows. */
    static final int RUNS_PER_BATCH = 20;
    /** Runs deleted per transaction (their targets go with them). */
    static final int DELETES_PER_BATCH = 200;

    /** What one pass removed. */
    public record Result(int runsCompacted, long targetsCompacted, long runsDeleted) {
    }

    @Inject
    RunsConfig config;

    @Inject
    EntityManager em;

    @Inject
    ClusterJobs cluster;

    @Scheduled(every = "${popfleet.runs.retention.every:10m}", delayed = "2m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!config.retention().enabled()) {
            return;
        }
        // Most of the interval: the controller whose timer comes first does the pass for all.
        cluster.runOnce(ClusterJob.RUN_RETENTION, config.retention().every().multipliedBy(8).dividedBy(10),
                () -> apply(Instant.now())).filter(r -> r.runsCompacted() + r.runsDeleted() > 0)
                .ifPresent(r -> LOG.infof("run retention: %d routine runs compacted (%d targets), %d runs deleted",
                        r.runsCompacted(), r.targetsCompacted(), r.runsDeleted()));
    }

    /** One retention pass as of {@code now}; public so tests and operators' tools can run it at a chosen time. */
    public Result apply(Instant now) {
        RunsConfig.Retention retention = config.retention();
        int compacted = 0;
        long targets = 0;
        while (true) {
            long[] batch = QuarkusTransaction.requiringNew().call(() -> compactBatch(now.minus(retention
                    .routineDetail())));
            compacted += (int) batch[0];
            targets += batch[1];
            if (batch[0] < RUNS_PER_BATCH) {
                break;
            }
        }
        long deleted = deleteOlder(true, now.minus(retention.routineRuns()))
                + deleteOlder(false, now.minus(retention.runs()));
        return new Result(compacted, targets, deleted);
    }

    /** Answers {runs compacted, targets removed}. */
    private long[] compactBatch(Instant finishedBefore) {
        Object[] row = (Object[]) em.createNativeQuery("""
                with due as (
                    select id from run where routine and compacted_at is null and state <> 'running'
                    and finished_at < :before order by finished_at limit :batch for update skip locked
                ), gone as (
                    delete from run_target t using due where t.run_id = due.id and t.state = 'ok' returning t.run_id
                ), counted as (
                    select due.id, (select count(*) from gone where gone.run_id = due.id) as n from due
                ), marked as (
                    update run r set compacted_ok = r.compacted_ok + counted.n, compacted_at = now(),
                    version = r.version + 1 from counted where r.id = counted.id returning counted.n
                )
                select count(*), coalesce(sum(n), 0) from marked""")
                .setParameter("before", finishedBefore).setParameter("batch", RUNS_PER_BATCH).getSingleResult();
        return new long[] { ((Number) row[0]).longValue(), ((Number) row[1]).longValue() };
    }

    /** Deletes finished runs (routine or not) created before {@code before}; their targets go by cascade. */
    private long deleteOlder(boolean routine, Instant before) {
        long deleted = 0;
        int batch;
        do {
            batch = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                    delete from run where id in (select id from run where routine = :routine and state <> 'running'
                    and created_at < :before order by created_at limit :batch for update skip locked)""")
                    .setParameter("routine", routine).setParameter("before", before)
                    .setParameter("batch", DELETES_PER_BATCH).executeUpdate());
            deleted += batch;
        } while (batch == DELETES_PER_BATCH);
        return deleted;
    }
}
