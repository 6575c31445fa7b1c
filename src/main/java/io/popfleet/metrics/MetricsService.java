package io.popfleet.metrics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.popfleet.api.BadRequestProblem;
import io.popfleet.database.SqlRow;
import io.popfleet.ops.ReputationBand;

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
        SqlRow totals = SqlRow.single(SqlRow.query(em, "select count(*) as nodes, avg(s.reputation) as reputation,"
                + " coalesce(sum(s.egress_bytes_7d), 0) as egress, coalesce(sum(s.points), 0) as points"
                + " from node n left join node_status s on s.node_id = n.id where n.enabled"));
        Map<String, Long> states = counts("select coalesce(s.state, 'unknown') as key, count(*) as n from node n"
                + " left join node_status s on s.node_id = n.id where n.enabled group by 1");
        Map<String, Long> bands = counts("select " + ReputationBand.sqlCase("s.reputation")
                + " as key, count(*) as n from node n join node_status s on s.node_id = n.id"
                + " where n.enabled and s.reputation is not null group by 1");
        Map<String, Long> versions = counts("select coalesce(s.binary_version, 'unknown') as key, count(*) as n"
                + " from node n"
                + " join node_status s on s.node_id = n.id where n.enabled group by 1 order by 2 desc");
        return new FleetSummary(totals.whole("nodes"), states, totals.real("reputation"), bands,
                totals.whole("egress"), totals.whole("points"), versions);
    }

    @Transactional
    public List<MetricPoint> history(long nodeId, Instant since) {
        return SqlRow.list(SqlRow.query(em, "select at, state, reputation, uptime_score, historical_score,"
                + " egress_score, egress_bytes_7d, points from node_metric where node_id = :node and at >= :since"
                + " order by at").setParameter("node", nodeId).setParameter("since", since)).stream()
                .map(r -> new MetricPoint(r.instant("at"), r.text("state"), r.real("reputation"),
                        r.real("uptime_score"), r.real("historical_score"), r.real("egress_score"),
                        r.whole("egress_bytes_7d"), r.whole("points")))
                .toList();
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
        List<SqlRow> rows = SqlRow.list(SqlRow.query(em, "with now_rank as (select s.*, k.rank as ext_rank,"
                + " k.total as ext_total, k.source as ext_source, rank() over (order by " + order + ") as r"
                + " from node_status s join node n on n.id = s.node_id"
                + " left join node_ranking k on k.node_id = s.node_id where n.enabled)"
                + (external ? "" : ", day as (" + String.format(then, "1 day") + "),"
                        + " week as (" + String.format(then, "7 days") + ")")
                + " select nr.r as rank, n.id, n.name, n.region, nr.state, nr.reputation, nr.uptime_score,"
                + " nr.historical_score, nr.egress_score, nr.egress_bytes_7d, nr.points, "
                + (external ? "null" : "d.r") + " as rank_day_ago, " + (external ? "null" : "w.r")
                + " as rank_week_ago, nr.ext_rank, nr.ext_total, nr.ext_source"
                + " from now_rank nr join node n on n.id = nr.node_id"
                + (external ? "" : " left join day d on d.node_id = n.id left join week w on w.node_id = n.id")
                + " order by nr.r, n.name limit :size offset :offset")
                .setParameter("size", size).setParameter("offset", page * size));
        return rows.stream().map(r -> new LeaderboardRow(r.whole("rank"), r.whole("id"), r.text("name"),
                r.text("region"), r.text("state"), r.real("reputation"), r.real("uptime_score"),
                r.real("historical_score"), r.real("egress_score"), r.whole("egress_bytes_7d"), r.whole("points"),
                r.whole("rank_day_ago"), r.whole("rank_week_ago"), r.whole("ext_rank"), r.whole("ext_total"),
                r.text("ext_source"))).toList();
    }

    /** The newest observation of each of these nodes (one query for a page of the fleet). */
    @Transactional
    public Map<Long, NodeHealth> latest(java.util.Collection<Long> nodeIds) {
        Map<Long, NodeHealth> health = new java.util.HashMap<>();
        if (nodeIds.isEmpty()) {
            return health;
        }
        List<SqlRow> rows = SqlRow.list(SqlRow.query(em, "select node_id, at, state, service_state, reputation,"
                + " uptime_score, historical_score, egress_score, egress_bytes_7d, points, binary_version, wallet,"
                + " problem, last_seen_at, consecutive_failures from node_status where node_id in (:ids)")
                .setParameter("ids", new ArrayList<>(nodeIds)));
        for (SqlRow r : rows) {
            health.put(r.whole("node_id"), new NodeHealth(r.whole("node_id"), r.instant("at"), r.text("state"),
                    r.text("service_state"), r.real("reputation"), r.real("uptime_score"),
                    r.real("historical_score"), r.real("egress_score"), r.whole("egress_bytes_7d"),
                    r.whole("points"), r.text("binary_version"), r.text("wallet"), r.text("problem"),
                    r.instant("last_seen_at"), r.integer("consecutive_failures")));
        }
        return health;
    }

    /**
     * Each node's newest <em>verified copy in the controller's backup store</em> (io.popfleet.backup), flagged when
     * stale: none at all, or older than {@code popfleet.metrics.backup-max-age}. A backup that lives only on the
     * node does not count: a dead disk takes it along. Nodes neither asked for their backups yet nor ever backed
     * up into the store are left out. {@code count} is the node's verified stored copies.
     */
    @Transactional
    public Map<Long, NodeBackup> backups(java.util.Collection<Long> nodeIds) {
        Map<Long, NodeBackup> found = new java.util.HashMap<>();
        if (nodeIds.isEmpty()) {
            return found;
        }
        Instant oldest = Instant.now().minus(config.backupMaxAge());
        List<SqlRow> rows = SqlRow.list(SqlRow.query(em, "select n.id as node_id, b.observed_at,"
                + " s.archive_name as newest_name, s.made_at as newest_at, s.size_bytes, s.sha256, s.verify_ok,"
                + " coalesce(s.stored, 0) as stored from node n left join node_backup b on b.node_id = n.id"
                + " left join lateral (select a.archive_name, a.made_at, a.size_bytes, a.sha256, a.verify_ok,"
                + " count(*) over () as stored from backup_archive a where a.node_id = n.id and a.verify_ok"
                + " order by a.made_at desc limit 1) s on true"
                + " where n.id in (:ids) and (b.node_id is not null or s.sha256 is not null)")
                .setParameter("ids", new ArrayList<>(nodeIds)));
        for (SqlRow r : rows) {
            Instant newest = r.instant("newest_at");
            boolean stale = newest == null || newest.isBefore(oldest);
            found.put(r.whole("node_id"), new NodeBackup(r.whole("node_id"), r.instant("observed_at"),
                    r.whole("stored").intValue(), r.text("newest_name"), newest, r.whole("size_bytes"),
                    r.text("sha256"), r.flag("verify_ok"), stale));
        }
        return found;
    }

    /**
     * Enabled nodes without a verified stored backup newer than the maximum age, among those asked for their
     * backups or backed up into the store before (a fresh inventory is not all red before its first check).
     */
    @Transactional
    public long staleBackups() {
        return ((Number) em.createNativeQuery("select count(*) from node n where n.enabled and (exists (select 1"
                + " from node_backup b where b.node_id = n.id) or exists (select 1 from backup_archive a"
                + " where a.node_id = n.id)) and not exists (select 1 from backup_archive a where a.node_id = n.id"
                + " and a.verify_ok and a.made_at >= :oldest)")
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

    /** Counts by key, in the query's order, from a query selecting {@code key} and {@code n}. */
    private Map<String, Long> counts(String sql) {
        Map<String, Long> counts = new LinkedHashMap<>();
        SqlRow.list(SqlRow.query(em, sql)).forEach(row -> counts.put(row.text("key"), row.whole("n")));
        return counts;
    }
}
