package io.popfleet.database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operator's database from before run retention and partitioning (schema up to V040, with history, runs and a
 * re-run in it) upgraded by the controller's migrations: nothing is lost, and the history lands in its months.
 */
@QuarkusTest
class MigrationOnExistingDataTest {

    /** The newest migration every release before this one had. */
    private static final String BEFORE = "40";

    @Inject
    DataSource dataSource;

    private final String database = "popfleet_upgrade_" + ProcessHandle.current().pid();
    private String url;

    @BeforeEach
    void emptyDatabase() throws SQLException {
        admin("drop database if exists " + database + " with (force)");
        admin("create database " + database);
        url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class)
                .replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
    }

    @AfterEach
    void dropIt() throws SQLException {
        admin("drop database if exists " + database + " with (force)");
    }

    @Test
    void historyRunsAndReRunsSurviveTheUpgradeAndHistoryIsPartitionedByMonth() throws SQLException {
        flyway(BEFORE).migrate();
        try (Connection db = connect(); Statement sql = db.createStatement()) {
            sql.execute("insert into node (id, name, host, ssh_user) values (1, 'old-a', '127.0.0.9', 'pop')");
            sql.execute("insert into node_metric (node_id, at, state, reputation) values"
                    + " (1, now() - interval '14 months', 'up', 0.1),"
                    + " (1, date_trunc('month', now()) - interval '2 months' + interval '3 days', 'up', 0.2),"
                    + " (1, date_trunc('month', now()) - interval '2 months' + interval '4 days', 'down', 0.3),"
                    + " (1, now(), 'up', 0.4)");
            sql.execute("insert into run (id, operation, mutating, selection, started_by, state, total, finished_at)"
                    + " values (1, 'status', false, 'all', 'monitor', 'finished', 1, now()),"
                    + " (2, 'restart', true, 'all', 'alice', 'finished', 1, now())");
            sql.execute("update run set retry_of = 1 where id = 2");
            sql.execute("insert into run_target (id, run_id, node_id, node_name, state)"
                    + " values (1, 1, 1, 'old-a', 'ok'), (2, 2, 1, 'old-a', 'failed')");
        }

        int applied = flyway(null).migrate().migrationsExecuted;

        assertThat(applied).isGreaterThanOrEqualTo(3);
        try (Connection db = connect(); Statement sql = db.createStatement()) {
            assertThat(single(sql, "select relkind::text from pg_class where relname = 'node_metric'"))
                    .as("node_metric is partitioned").isEqualTo("p");
            assertThat(single(sql, "select string_agg(reputation::text, ',' order by at) from node_metric"))
                    .isEqualTo("0.1,0.2,0.3,0.4");
            Map<String, String> holders = rows(sql, "select tableoid::regclass::text, count(*) from node_metric"
                    + " group by 1");
            String twoMonthsAgo = single(sql, "select 'node_metric_' || to_char(date_trunc('month', now() at time"
                    + " zone 'UTC') - interval '2 months', 'YYYY_MM')");
            String thisMonth = single(sql, "select 'node_metric_' || to_char(now() at time zone 'UTC', 'YYYY_MM')");
            assertThat(holders).containsEntry(twoMonthsAgo, "2").containsEntry(thisMonth, "1")
                    .containsEntry("node_metric_default", "1");
            assertThat(single(sql, "select count(*) from pg_inherits where inhparent = 'node_metric'::regclass"
                    + " and inhrelid::regclass::text > '" + thisMonth + "' and inhrelid::regclass::text like"
                    + " 'node_metric_2%'")).as("three months ahead").isEqualTo("3");
            assertThat(single(sql, "select string_agg(id || ':' || routine || ':' || compacted_ok, ',' order by id)"
                    + " from run")).isEqualTo("1:false:0,2:false:0");
            // The upgraded schema behaves like a new one: a deleted run takes its targets and unlinks its re-run.
            sql.execute("delete from run where id = 1");
            assertThat(single(sql, "select coalesce(retry_of::text, 'none') from run where id = 2")).isEqualTo("none");
            assertThat(single(sql, "select count(*) from run_target")).isEqualTo("1");
            sql.execute("delete from node where id = 1");
            assertThat(single(sql, "select count(*) from node_metric")).as("history follows its node").isEqualTo("0");
        }
    }

    private Flyway flyway(String target) {
        var config = Flyway.configure().dataSource(url, username(), password()).locations("classpath:db/migration");
        return (target == null ? config : config.target(target)).load();
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, username(), password());
    }

    private void admin(String statement) throws SQLException {
        try (Connection db = dataSource.getConnection(); Statement sql = db.createStatement()) {
            sql.execute(statement);
        }
    }

    private static String single(Statement sql, String query) throws SQLException {
        try (ResultSet rows = sql.executeQuery(query)) {
            assertThat(rows.next()).as(query).isTrue();
            return rows.getString(1);
        }
    }

    private static Map<String, String> rows(Statement sql, String query) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (ResultSet rows = sql.executeQuery(query)) {
            while (rows.next()) {
                out.put(rows.getString(1), rows.getString(2));
            }
        }
        return out;
    }

    private static String username() {
        return ConfigProvider.getConfig().getValue("quarkus.datasource.username", String.class);
    }

    private static String password() {
        return ConfigProvider.getConfig().getValue("quarkus.datasource.password", String.class);
    }
}
