package io.popfleet.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

import io.popfleet.database.ClusterJob;
import io.popfleet.database.ClusterJobs;
import io.popfleet.database.SqlRow;

/**
 * Keeps {@code node_metric} at a size 10,000 nodes × months can afford: full resolution (one row per poll) for
 * the last week, then the newest row of each hour, then of each day, and nothing after the retention period.
 * Every figure a node reports is already a 7-day rolling value (reputation, its components, egress), so the
 * newest sample of an hour or a day stands for it without averaging. Runs nightly, once per cluster, in slices of
 * nodes so no transaction holds millions of row locks. Expired months are dropped as whole partitions
 * ({@link MetricPartitions}); only the rest of the month the retention boundary falls in is deleted by row.
 */
@ApplicationScoped
public class HistoryCompaction {

    private static final Logger LOG = Logger.getLogger(HistoryCompaction.class);
    /** Each night looks this far behind each threshold, so two weeks of controller downtime still compact. */
    static final Duration LOOKBACK = Duration.ofDays(14);
    private static final int NODES_PER_SLICE = 1_000;

    /** What one compaction removed. */
    public record Result(long hourly, long daily, long expired) {
    }

    @Inject
    MetricsConfig config;

    @Inject
    EntityManager em;

    @Inject
    ClusterJobs cluster;

    @Inject
    MetricPartitions partitions;

    @Scheduled(cron = "0 17 3 * * ?", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void nightly() {
        // Every controller's cron fires at 03:17; the first one compacts, the others find it done.
        cluster.runOnce(ClusterJob.HISTORY_COMPACTION, Duration.ofHours(20), () -> compact(Instant.now()))
                .ifPresent(this::log);
    }

    private void log(Result result) {
        LOG.infof("metrics history: %d rows folded into hours, %d into days, %d older than %d days deleted",
                result.hourly(), result.daily(), result.expired(), config.retentionDays());
    }

    /** Compacts as of {@code now}; public so tests and operators' tools can run it at a chosen time. */
    public Result compact(Instant now) {
        Instant hourly = now.minus(config.hourlyAfter());
        Instant daily = now.minus(config.dailyAfter());
        Instant expired = now.minus(Duration.ofDays(config.retentionDays()));
        long folded = 0;
        long foldedDaily = 0;
        for (NodeRange slice : slices()) {
            folded += QuarkusTransaction.requiringNew().call(() -> keepNewest("hour", slice, hourly.minus(LOOKBACK),
                    hourly));
            foldedDaily += QuarkusTransaction.requiringNew().call(() -> keepNewest("day", slice,
                    daily.minus(LOOKBACK), daily));
        }
        long dropped = partitions.dropEndingBy(expired);
        long deleted = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "delete from node_metric where at < :expired").setParameter("expired", expired).executeUpdate());
        return new Result(folded, foldedDaily, dropped + deleted);
    }

    /** Deletes all but the newest row of each node's {@code unit} (hour or day) in [from, to). */
    private long keepNewest(String unit, NodeRange slice, Instant from, Instant to) {
        // The unit is one of two constants, never input. Buckets are UTC hours and days, whatever the server zone.
        return em.createNativeQuery("delete from node_metric m using (select node_id, at, row_number() over"
                + " (partition by node_id, date_trunc('" + unit + "', at at time zone 'UTC') order by at desc) as newest"
                + " from node_metric where node_id between :first and :last and at >= :from and at < :to) d"
                + " where m.node_id = d.node_id and m.at = d.at and d.newest > 1")
                .setParameter("first", slice.first()).setParameter("last", slice.last()).setParameter("from", from)
                .setParameter("to", to).executeUpdate();
    }

    /** Node id ranges of about {@link #NODES_PER_SLICE} nodes each. */
    private List<NodeRange> slices() {
        List<SqlRow> rows = QuarkusTransaction.requiringNew().call(() -> SqlRow.list(SqlRow.query(em,
                "select min(id) as first, max(id) as last from (select id, (row_number() over (order by id) - 1)"
                        + " / :size as slice from node) s group by slice order by 1")
                .setParameter("size", NODES_PER_SLICE)));
        return rows.stream().map(r -> new NodeRange(r.whole("first"), r.whole("last"))).toList();
    }

    /** Node ids from {@code first} to {@code last}, both included. */
    private record NodeRange(long first, long last) {
    }
}
