package io.popfleet.metrics;

import static io.popfleet.database.SqlValues.instant;
import static io.popfleet.database.SqlValues.real;
import static io.popfleet.database.SqlValues.whole;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.popfleet.api.BadRequestProblem;
import io.popfleet.ops.ReputationBand;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** Fleet health, node history and the leaderboard, each a few aggregate queries whatever the fleet size. */
@ApplicationScoped
public class MetricsService {

    /** What the leaderboard ranks by; each is a column of node_status. */
    private static final Map<String, String> RANKINGS = Map.of(
            "reputation", "reputation", "points", "points", "egress", "egress_bytes_7d", "external", "rank");
    static final Set<String> SORTS = RANKINGS.keySet();
    private static final Map<String, String> SNAPSHOT_COLUMNS = Map.of(
            "reputation", "reputation_rank", "points", "points_rank", "egress_bytes_7d", "egress_rank");

    @Inject
    EntityManager em;

    @Inject
    MetricsConfig config;

    @Transactional
    public FleetSummary summary() {
        Object[] totals = (Object[]) em.createNativeQuery("select count(*), avg(s.reputation),"
                + " coalesce(sum(s.egress_bytes_7d), 0), coalesce(sum(s.points), 0)"
                + " from node n left join node_status s on s.node_id = n.id where n.enabled").getSingleResult();
        Map<String, Long> states = counts("select coalesce(s.state, 'unknown'), count(*) from node n"
                + " left join node_status s on s.node_id = n.id where n.enabled group by 1");
        Map<String, Long> bands = counts("select " + ReputationBand.sqlCase("s.reputation")
                + ", count(*) from node n join node_status s on s.node_id = n.id"
                + " where n.enabled and s.reputation is not null group by 1");
        Map<String, Long> versions = counts("select coalesce(s.binary_version, 'unknown'), count(*) from node n"
                + " join node_status s on s.node_id = n.id where n.enabled group by 1 order by 2 desc");
        return new FleetSummary(((Number) totals[0]).longValue(),
                states, totals[1] == null ? null : ((Number) totals[1]).doubleValue(), bands,
                ((Number) totals[2]).longValue(), ((Number) totals[3]).longValue(), versions);
    }

    @Transactional
    public List<MetricPoint> history(long nodeId, Instant since) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select at, state, reputation, uptime_score, historical_score,"
                + " egress_score, egress_bytes_7d, points from node_metric where node_id = :node and at >= :since"
                + " order by at").setParameter("node", nodeId).setParameter("since", since).getResultList();
        List<MetricPoint> points = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            points.add(new MetricPoint(instant(r[0]), (String) r[1], real(r[2]), real(r[3]), real(r[4]), real(r[5]),
                    whole(r[6]), whole(r[7])));
        }
        return points;
    }

    /**
     * The enabled fleet ranked by one measure, with each node's rank a day and a week ago from the newest hourly
     * snapshot ({@link LeaderboardSnapshots}) taken before then.
     */
    @Transactional
    public List<LeaderboardRow> leaderboard(String sort, int page, int size) {
        String column = RANKINGS.get(sort == null ? "reputation" : sort);
        if (column == null) {
            throw new BadRequestProblem("invalid-sort", "rank by reputation, points, egress or external, not " + sort);
        }
        // Ranks then come from the hourly snapshot nearest before: one keyed read, whatever the history's size.
        String then = "select node_id, " + SNAPSHOT_COLUMNS.get(column) + " as r from leaderboard_snapshot"
                + " where at = (select max(at) from leaderboard_snapshot where at <= now() - interval '%s')";
        boolean external = "rank".equals(column);
        // The external ranking has no history here: it moves only when its source says so.
        String order = external ? "k.rank asc nulls last" : "s." + column + " desc nulls last";
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("with now_rank as (select s.*, k.rank as ext_rank,"
                + " k.total as ext_total, k.source as ext_source, rank() over (order by " + order + ") as r"
                + " from node_status s join node n on n.id = s.node_id"
                + " left join node_ranking k on k.node_id = s.node_id where n.enabled)"
                + (external ? "" : ", day as (" + String.format(then, "1 day") + "),"
                        + " week as (" + String.format(then, "7 days") + ")")
                + " select nr.r, n.id, n.name, n.region, nr.state, nr.reputation, nr.uptime_score,"
                + " nr.historical_score, nr.egress_score, nr.egress_bytes_7d, nr.points, "
                + (external ? "null, null" : "d.r, w.r") + ", nr.ext_rank, nr.ext_total, nr.ext_source"
                + " from now_rank nr join node n on n.id = nr.node_id"
                + (external ? "" : " left join day d on d.node_id = n.id left join week w on w.node_id = n.id")
                + " order by nr.r, n.name limit :size offset :offset")
                .setParameter("size", size).setParameter("offset", page * size).getResultList();
        List<LeaderboardRow> board = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            board.add(new LeaderboardRow(whole(r[0]), whole(r[1]), (String) r[2], (String) r[3], (String) r[4],
                    real(r[5]), real(r[6]), real(r[7]), real(r[8]), whole(r[9]), whole(r[10]), whole(r[11]),
                    whole(r[12]), whole(r[13]), whole(r[14]), (String) r[15]));
        }
        return board;
    }

    /** The newest observation of each of these nodes (one query for a page of the fleet). */
    @Transactional
    public Map<Long, NodeHealth> latest(java.util.Collection<Long> nodeIds) {
        Map<Long, NodeHealth> health = new java.util.HashMap<>();
        if (nodeIds.isEmpty()) {
            return health;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select node_id, at, state, service_state, reputation,"
                + " uptime_score, historical_score, egress_score, egress_bytes_7d, points, binary_version, wallet,"
                + " problem, last_seen_at, consecutive_failures from node_status where node_id in (:ids)")
                .setParameter("ids", new ArrayList<>(nodeIds)).getResultList();
        for (Object[] r : rows) {
            health.put(whole(r[0]), new NodeHealth(whole(r[0]), instant(r[1]), (String) r[2], (String) r[3],
                    real(r[4]), real(r[5]), real(r[6]), real(r[7]), whole(r[8]), whole(r[9]), (String) r[10],
                    (String) r[11], (String) r[12], r[13] == null ? null : instant(r[13]),
                    ((Number) r[14]).intValue()));
        }
        return health;
    }

    /** The newest backup of each of these nodes, flagged when stale. */
    @Transactional
    public Map<Long, NodeBackup> backups(java.util.Collection<Long> nodeIds) {
        Map<Long, NodeBackup> found = new java.util.HashMap<>();
        if (nodeIds.isEmpty()) {
            return found;
        }
        Instant oldest = Instant.now().minus(config.backupMaxAge());
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select node_id, observed_at, backup_count, newest_name, newest_at,"
                + " size_bytes, sha256, verified from node_backup where node_id in (:ids)")
                .setParameter("ids", new ArrayList<>(nodeIds)).getResultList();
        for (Object[] r : rows) {
            Instant newest = r[4] == null ? null : instant(r[4]);
            boolean stale = newest == null || newest.isBefore(oldest) || Boolean.FALSE.equals(r[7]);
            found.put(whole(r[0]), new NodeBackup(whole(r[0]), instant(r[1]), ((Number) r[2]).intValue(),
                    (String) r[3], newest, whole(r[5]), (String) r[6], (Boolean) r[7], stale));
        }
        return found;
    }

    /** Enabled nodes whose newest backup is missing, unverified or too old (never-checked nodes are not counted). */
    @Transactional
    public long staleBackups() {
        return ((Number) em.createNativeQuery("select count(*) from node n join node_backup b on b.node_id = n.id"
                + " where n.enabled and (b.newest_at is null or b.newest_at < :oldest or b.verified = false)")
                .setParameter("oldest", Instant.now().minus(config.backupMaxAge())).getSingleResult()).longValue();
    }

    /** How many enabled nodes have a position in an external ranking (the page offers that sort only then). */
    @Transactional
    public long externallyRanked() {
        return ((Number) em.createNativeQuery("select count(*) from node_ranking k join node n on n.id = k.node_id"
                + " where n.enabled and k.rank is not null").getSingleResult()).longValue();
    }

    @Transactional
    public long rankedCount() {
        return ((Number) em.createNativeQuery("select count(*) from node_status s join node n on n.id = s.node_id"
                + " where n.enabled").getSingleResult()).longValue();
    }

    private Map<String, Long> counts(String sql) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(sql).getResultList();
        Map<String, Long> counts = new LinkedHashMap<>();
        rows.forEach(row -> counts.put((String) row[0], ((Number) row[1]).longValue()));
        return counts;
    }
}
