package io.popfleet.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Gives an imported benchmark fleet the state a month of monitoring leaves behind, straight in SQL: every node's
 * newest status (with some drift), history at poll resolution for the last 36 hours and hourly back to 30 days
 * (what {@code HistoryCompaction} keeps), hourly leaderboard snapshots for 8 days, backups, open alerts, and
 * finished runs over the whole fleet. Values
 * vary by node id so rankings and filters do real work.
 */
final class ConsoleSeed {

    /** The first seeded run's id, far above what the controller's sequence hands out in a benchmark. */
    static final long FIRST_RUN = 9_000_001;
    static final int RUNS = 3;

    private ConsoleSeed() {
    }

    /** Seeds; answers the id of a node in the middle of the fleet, for the node pages. */
    static long seed(String jdbcUrl, String user, String password) throws SQLException {
        try (Connection db = DriverManager.getConnection(jdbcUrl, user, password);
                Statement sql = db.createStatement()) {
            timed(sql, "node_status", "insert into node_status (node_id, at, state, service_state, reputation,"
                    + " uptime_score, historical_score, egress_score, egress_bytes_7d, points, binary_version, wallet,"
                    + " problem, last_seen_at, consecutive_failures, unit_wallet, process_seen, process_wallet,"
                    + " enable_80_443, process_80_443, port_80, port_443)"
                    + " select id, now(), case when id % 50 = 0 then 'down' when id % 23 = 0 then 'degraded'"
                    + " when id % 97 = 0 then 'unreachable' else 'up' end, 'running', " + score("id", 0)
                    + ", " + score("id", 1) + ", " + score("id", 2) + ", " + score("id", 3)
                    + ", (id * 104729 % 5000) * 1000000000::bigint, id * 31 % 5000,"
                    + " case when id % 9 = 4 then '0.2.7' else '0.2.8' end, " + WALLET
                    + ", null, now(), 0, null, true,"
                    + " case when id % 17 = 7 then " + OTHER_WALLET + " else " + WALLET + " end,"
                    + " true, true, case when id % 13 = 3 then 'taken by nginx' else 'ours' end, 'ours' from node");
            timed(sql, "node_metric, 36 h at 5 min", history("interval '36 hours'", "now()", "interval '5 minutes'"));
            timed(sql, "node_metric, 30 days hourly", history("interval '30 days'",
                    "now() - interval '36 hours 5 minutes'", "interval '1 hour'"));
            String mix = "(n.id + extract(epoch from t)::bigint / 3600)";
            timed(sql, "leaderboard_snapshot, 8 d", "insert into leaderboard_snapshot (at, node_id, reputation_rank,"
                    + " points_rank, egress_rank) select t, n.id,"
                    + " rank() over (partition by t order by " + score(mix, 0) + " desc),"
                    + " rank() over (partition by t order by n.id * 31 % 5000 desc),"
                    + " rank() over (partition by t order by n.id * 104729 % 5000 desc)"
                    + " from node n, generate_series(now() - interval '8 days', now(), interval '1 hour') t");
            timed(sql, "node_backup", "insert into node_backup (node_id, observed_at, backup_count, newest_name,"
                    + " newest_at, size_bytes, sha256, verified, encrypted) select id, now(), 3,"
                    + " 'pop-backup-' || id || '.tar.gz', now() - make_interval(days => (id % 10)::int), 4096,"
                    + " repeat('ab', 32), true, false from node");
            timed(sql, "alert", "insert into alert (id, node_id, rule, message) select nextval('alert_seq'), id,"
                    + " 'node_down', 'node ' || id || ' was down or unreachable at the last 3 polls' from node"
                    + " where id % 50 = 0");
            for (int r = 0; r < RUNS; r++) {
                long run = FIRST_RUN + r;
                timed(sql, "run " + run, "insert into run (id, operation, arguments, mutating, selection, started_by,"
                        + " state, total, created_at, finished_at) select " + run + ", 'status', '[]', false,"
                        + " 'enabled nodes', 'monitor', 'finished', count(*), now() - interval '" + (r + 1)
                        + " hours', now() - interval '" + (r + 1) + " hours' + interval '40 seconds' from node");
                sql.executeUpdate("insert into run_target (id, run_id, node_id, node_name, state, attempts, started_at,"
                        + " finished_at, updated_at, exit_code, failure_kind, failure_message, stdout, data, duration_ms)"
                        + " select nextval('run_target_seq'), " + run + ", id, name,"
                        + " case when id % 97 = 0 then 'failed' else 'ok' end, 1, now(), now(), now(),"
                        + " case when id % 97 = 0 then null else 0 end,"
                        + " case when id % 97 = 0 then 'connect_timeout' end,"
                        + " case when id % 97 = 0 then 'no answer in 10 s' end, '',"
                        + " jsonb_build_object('node_id', md5(id::text), 'service', jsonb_build_object('state',"
                        + " 'running', 'healthy', true), 'reputation', jsonb_build_object('score', 0.8)),"
                        + " 300 + id % 700 from node");
            }
            timed(sql, "analyze", "analyze");
            try (ResultSet rows = sql.executeQuery("select count(*) from node_metric")) {
                rows.next();
                System.out.printf(Locale.ROOT, "seeded: %,d history rows%n", rows.getLong(1));
            }
            try (ResultSet rows = sql.executeQuery("select percentile_disc(0.5) within group (order by id) from node")) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static final String WALLET = "'v4VFYJo7CXyhtghAmPRqJ3s8T6MGzs7WAsztLN9g9rAk'";
    private static final String OTHER_WALLET = "'7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU'";

    /** A plausible 0.55-0.95 score that differs by node and by {@code salt}. */
    private static String score(String id, int salt) {
        return "0.55 + ((" + id + " * 7919 + " + salt * 131 + ") % 400) / 1000.0";
    }

    private static String history(String back, String until, String step) {
        String mix = "(n.id + extract(epoch from t)::bigint / 3600)";
        return "insert into node_metric (node_id, at, state, service_state, reputation, uptime_score,"
                + " historical_score, egress_score, egress_bytes_7d, points, binary_version)"
                + " select n.id, t, 'up', 'running', " + score(mix, 0) + ", " + score(mix, 1) + ", "
                + score(mix, 2) + ", " + score(mix, 3) + ", (n.id * 104729 % 5000) * 1000000000::bigint,"
                + " n.id * 31 % 5000, '0.2.8' from node n, generate_series(now() - " + back + ", " + until + ", "
                + step + ") t";
    }

    private static void timed(Statement sql, String what, String statement) throws SQLException {
        long start = System.nanoTime();
        int rows = sql.executeUpdate(statement);
        System.out.printf(Locale.ROOT, "  seed %-28s %,11d rows %7.1f s%n", what, rows,
                (System.nanoTime() - start) / 1e9);
    }
}
