package io.popfleet.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.quarkus.scheduler.Scheduled;

import io.popfleet.database.ClusterJob;
import io.popfleet.database.ClusterJobs;
import io.popfleet.database.SqlValues;

/**
 * Takes the fleet's ranks by reputation, points and egress once an hour (one {@code INSERT … SELECT} over
 * {@code node_status}) and keeps eight days of them, so "a day ago" and "a week ago" are one snapshot each.
 */
@ApplicationScoped
public class LeaderboardSnapshots {

    static final Duration EVERY = Duration.ofHours(1);
    static final Duration KEEP = Duration.ofDays(8);

    @Inject
    MetricsConfig config;

    @Inject
    EntityManager em;

    @Inject
    ClusterJobs cluster;

    @Scheduled(every = "5m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void tick() {
        // Once per cluster: the lock makes "is the newest snapshot an hour old" and taking one a single step.
        if (!config.enabled() || !cluster.claimInTransaction(ClusterJob.LEADERBOARD_SNAPSHOT)) {
            return;
        }
        Optional<Instant> newest = newest(Instant.now());
        if (newest.isEmpty() || newest.get().isBefore(Instant.now().minus(EVERY))) {
            take();
        }
    }

    /** Takes a snapshot now and drops those older than {@link #KEEP}; answers the nodes it ranked. */
    @Transactional
    public int take() {
        em.createNativeQuery("delete from leaderboard_snapshot where at < now() - make_interval(days => :days)")
                .setParameter("days", (int) KEEP.toDays()).executeUpdate();
        // A node without a figure has no rank by it, rather than the last one.
        return em.createNativeQuery("insert into leaderboard_snapshot (at, node_id, reputation_rank, points_rank,"
                + " egress_rank) select now(), s.node_id,"
                + " case when s.reputation is null then null else rank() over (order by s.reputation desc nulls last) end,"
                + " case when s.points is null then null else rank() over (order by s.points desc nulls last) end,"
                + " case when s.egress_bytes_7d is null then null"
                + " else rank() over (order by s.egress_bytes_7d desc nulls last) end"
                + " from node_status s join node n on n.id = s.node_id where n.enabled").executeUpdate();
    }

    /** The time of the newest snapshot taken at or before {@code then}. */
    Optional<Instant> newest(Instant then) {
        Object at = em.createNativeQuery("select max(at) from leaderboard_snapshot where at <= :then")
                .setParameter("then", then).getSingleResult();
        return Optional.ofNullable(SqlValues.instant(at));
    }
}
