package io.popfleet.metrics;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;

import io.popfleet.runs.Run;
import io.popfleet.runs.RunService;
import io.popfleet.security.RoleHierarchy;
import io.popfleet.security.Roles;
import io.popfleet.testing.Fault;
import io.popfleet.testing.FleetRegistration;
import io.popfleet.testing.Inventory;
import io.popfleet.testing.PageSession;
import io.popfleet.testing.RunWaits;
import io.popfleet.testing.SimulatedNodes;
import io.popfleet.testing.SshTestFleet;

import static io.popfleet.testing.FleetAssertions.assertThat;
import static io.popfleet.testing.NodeBuilder.aNode;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/**
 * Polls a small simulated fleet in four states (up, degraded, down, unreachable) and checks what the fleet
 * summary, the node history, the leaderboard and the pages make of it.
 */
@QuarkusTest
// Not a security test: every request acts as an admin (RoleHierarchy adds operator and viewer, as in prod).
@TestSecurity(user = "test-admin", roles = Roles.ADMIN, augmentors = RoleHierarchy.class)
class MonitoringTest {

    private static final String CREDENTIAL = "MonitoringTest";

    @RegisterExtension
    static final SshTestFleet FLEET = SshTestFleet.ofSize(6);

    @Inject
    FleetRegistration registration;

    @Inject
    MetricsPoller poller;

    @Inject
    MetricsService metrics;

    @Inject
    LeaderboardSnapshots snapshots;

    @Inject
    RunService runs;

    @Inject
    io.popfleet.backup.BackupService backupService;

    private List<Long> ids;

    @BeforeEach
    void fleetInFourStates() throws Exception {
        Inventory.clearWithRuns();
        ids = registration.register(FLEET, CREDENTIAL, 100,
                node -> aNode().named("mon-" + node.index()).inRegion("r" + (node.index() % 2)));
        // 0-2 up, 3 degraded (port 80 taken), 4 down (stopped), 5 unreachable.
        for (int i = 0; i <= 3; i++) {
            pop(i, "start");
        }
        SimulatedNodes.popSim("fault", FLEET.node(3).home().toString(), "port-80-taken");
    }

    @AfterEach
    void stopServices() throws Exception {
        FLEET.clear(5, Fault.REFUSE_CONNECTION);
        SimulatedNodes.popSim("clear", FLEET.node(3).home().toString(), "port-80-taken");
        for (int i = 0; i <= 3; i++) {
            pop(i, "stop");
        }
        Inventory.clear();
    }

    @Test
    void aPollClassifiesEveryNodeAndFeedsSummaryHistoryAndLeaderboard() throws Exception {
        FLEET.inject(5, Fault.REFUSE_CONNECTION);
        poll();

        FleetSummary summary = metrics.summary();
        assertThat(summary.state("up")).isEqualTo(3);
        assertThat(summary.state("degraded")).isEqualTo(1);
        assertThat(summary.state("down")).isEqualTo(1);
        assertThat(summary.state("unreachable")).isEqualTo(1);
        assertThat(summary.versions()).containsEntry("0.2.8", 5L);
        assertThat(summary.averageReputation()).isBetween(0.0, 1.0);
        assertThat(metrics.latest(List.of(ids.get(3))).get(ids.get(3)).problem()).contains("port 80");

        List<LeaderboardRow> board = metrics.leaderboard("reputation", 0, 100);
        assertThat(board).hasSize(6);
        for (int i = 1; i < 5; i++) {
            assertThat(board.get(i - 1).reputation()).isGreaterThanOrEqualTo(board.get(i).reputation());
        }
        assertThat(board.get(5).state()).as("never reached: no figures, ranked last").isEqualTo("unreachable");
        assertThat(board.get(5).reputation()).isNull();

        // A second poll: one more history row per node; an unreachable node keeps its last known figures.
        FLEET.clear(5, Fault.REFUSE_CONNECTION);
        // Node 0 drops the connection mid-command (its pooled session would outlive a refusal of new ones).
        FLEET.inject(0, Fault.DROP_MID_COMMAND);
        Double before = metrics.latest(List.of(ids.get(0))).get(ids.get(0)).reputation();
        poll();
        FLEET.clear(0, Fault.DROP_MID_COMMAND);
        NodeHealth zero = metrics.latest(List.of(ids.get(0))).get(ids.get(0));
        assertThat(zero.state()).isEqualTo("unreachable");
        assertThat(zero.reputation()).isEqualTo(before);
        assertThat(zero.consecutiveFailures()).isEqualTo(1);
        assertThat(metrics.history(ids.get(0), java.time.Instant.EPOCH)).extracting(MetricPoint::state)
                .containsExactly("up", "unreachable");
        assertThat(metrics.latest(List.of(ids.get(5))).get(ids.get(5)).state()).isEqualTo("down");
    }

    @Test
    void leaderboardShowsMovementAgainstADayAndAWeekAgo() throws Exception {
        poll();
        List<LeaderboardRow> now = metrics.leaderboard("reputation", 0, 100);
        long top = now.get(0).nodeId();
        long last = now.get(now.size() - 1).nodeId();
        // A snapshot now ranks as the board does.
        assertThat(snapshots.take()).isEqualTo(6);
        Object topNow = QuarkusTransaction.requiringNew().call(() -> Run.getEntityManager().createNativeQuery(
                "select reputation_rank from leaderboard_snapshot where node_id = :id").setParameter("id", top)
                .getSingleResult());
        assertThat(((Number) topNow).intValue()).isEqualTo(1);
        // Snapshots as they were: a week ago the current last was first, a day ago the current first was last.
        QuarkusTransaction.requiringNew().run(() -> {
            var em = Run.getEntityManager();
            em.createNativeQuery("delete from leaderboard_snapshot").executeUpdate();
            for (long id : ids) {
                em.createNativeQuery("insert into leaderboard_snapshot (at, node_id, reputation_rank) values"
                        + " (now() - interval '8 days', :id, :w), (now() - interval '2 days', :id, :d)")
                        .setParameter("id", id).setParameter("w", id == last ? 1 : 2)
                        .setParameter("d", id == top ? 6 : 1).executeUpdate();
            }
        });
        List<LeaderboardRow> board = metrics.leaderboard("reputation", 0, 100);
        LeaderboardRow first = board.get(0);
        assertThat(first.nodeId()).isEqualTo(top);
        assertThat(first.rankDayAgo()).isEqualTo(6);
        assertThat(first.movementDay()).isEqualTo(5);
        LeaderboardRow bottom = board.stream().filter(r -> r.nodeId() == last).findFirst().orElseThrow();
        assertThat(bottom.rankWeekAgo()).isEqualTo(1);
        assertThat(bottom.movementWeek()).isNegative();

        given().when().get("/leaderboard").then().statusCode(200).body(containsString("mon-"))
                .body(containsString("▲5"));
        given().when().get("/api/v1/leaderboard?sort=points").then().statusCode(200).body("total", equalTo(6));
        given().when().get("/api/v1/leaderboard?sort=password").then().statusCode(400)
                .body("type", equalTo("urn:popfleet:problem:invalid-sort"));
    }

    @Test
    void fleetAndNodePagesShowHealthAndCharts() throws Exception {
        poll();
        given().when().get("/fleet").then().statusCode(200)
                .body(containsString("class=\"badge state-degraded\""))
                .body(containsString("0.2.8 × 6"));
        given().when().get("/nodes/" + ids.get(0)).then().statusCode(200)
                .body(containsString("id=\"chart-reputation\"")).body(containsString("/vendor/uplot-1.6.32.min.js"));
        given().when().get("/api/v1/metrics/nodes/" + ids.get(0)).then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].state", equalTo("up"));
        given().when().get("/api/v1/metrics/fleet").then().statusCode(200).body("states.up", equalTo(3)).body("states.down", equalTo(2));
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("popfleet_nodes{state=\"up\"} 3.0"))
                .body(containsString("popfleet_nodes{state=\"degraded\"} 1.0"))
                .body(containsString("popfleet_run_target_duration_seconds_count{operation=\"status\",outcome=\"ok\"}"));
    }

    @Test
    void theDashboardRefreshesAndALogsRunReadsAsATailPerNode() throws Exception {
        poll();
        given().when().get("/fleet/health").then().statusCode(200)
                .body(containsString("id=\"fleet-health\"")).body(containsString("hx-trigger=\"every 30s\""))
                .body(containsString("<div class=\"value\">3</div><div class=\"label\">up</div>"))
                .body(not(containsString("<html")));
        given().when().get("/nodes/" + ids.get(0)).then().statusCode(200)
                .body(containsString("id=\"tail-log\"")).body(containsString("value=\"mon-0\""));

        // The node page's button: a logs run on one node, whose page shows the lines themselves.
        String location = PageSession.open("/nodes/" + ids.get(0)).form().redirects().follow(false)
                .formParam("operation", "logs")
                .formParam("opt.lines", "5").formParam("nodes", "mon-1").when().post("/runs/new")
                .then().statusCode(303).extract().header("Location");
        long id = Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
        assertThat(RunWaits.finished(runs, id)).hasCounts(1, 0);
        given().when().get("/runs/" + id).then().statusCode(200).body(containsString("<pre class=\"log\">"))
                .body(containsString("Starting Pipe PoP node"));
    }

    @Test
    void aNodesPlaceInItsExternalRankingJoinsTheLeaderboard() throws Exception {
        HttpServer source = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        source.createContext("/rank", exchange -> {
            byte[] body = "{\"rank\": 42, \"total\": 5000}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        source.start();
        Path conf = FLEET.node(2).home().resolve("etc/pop/pop.conf");
        String original = Files.readString(conf);
        try {
            Files.writeString(conf, original + "POP_RANKING_URL=http://127.0.0.1:" + source.getAddress().getPort()
                    + "/rank\n");
            poll();
            assertThat(metrics.externallyRanked()).isZero();
            poller.checkBackupsNow().orElseThrow();
            Run ranking = QuarkusTransaction.requiringNew().call(() -> Run.<Run>find(
                    "operation = ?1 and startedBy = ?2 order by id desc", "leaderboard", MetricsPoller.ACTOR)
                    .firstResult());
            RunWaits.finished(runs, ranking.id);
            assertThat(metrics.externallyRanked()).isEqualTo(1);
            LeaderboardRow first = metrics.leaderboard("external", 0, 100).get(0);
            assertThat(first.name()).isEqualTo("mon-2");
            assertThat(first.externalRank()).isEqualTo(42);
            assertThat(first.externalTotal()).isEqualTo(5000);
            assertThat(first.externalSource()).endsWith("/rank");
            assertThat(metrics.leaderboard("reputation", 0, 100)).filteredOn(r -> !r.name().equals("mon-2"))
                    .allSatisfy(r -> assertThat(r.externalRank()).isNull());
            given().when().get("/leaderboard").then().statusCode(200)
                    .body(containsString("#42 of 5000")).body(containsString("external ranking (1 node)"));
        } finally {
            Files.writeString(conf, original);
            source.stop(0);
        }
    }

    @Test
    void backupsAreCheckedAndOnlyACopyInTheControllersStoreCounts() throws Exception {
        pop(2, "backup");
        Run fleetBackup = backupService.backupNow(io.popfleet.runs.NodeSelection.named(List.of("mon-1")), "test");
        RunWaits.finished(runs, fleetBackup.id);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> !backupService.list(java.util.Optional.of(ids.get(1)), 1).isEmpty());
        Run check = poller.checkBackupsNow().orElseThrow();
        RunWaits.finished(runs, check.id);
        var backups = metrics.backups(ids);
        assertThat(backups).hasSize(6);
        assertThat(backups.get(ids.get(2)).stale()).as("a backup only on the node does not count").isTrue();
        assertThat(backups.get(ids.get(1)).count()).isEqualTo(1);
        assertThat(backups.get(ids.get(1)).stale()).isFalse();
        assertThat(backups.get(ids.get(1)).sha256()).hasSize(64);
        assertThat(backups.get(ids.get(0)).stale()).as("no backup at all").isTrue();
        assertThat(metrics.staleBackups()).isEqualTo(5);
        given().when().get("/fleet").then().statusCode(200)
                .body(containsString("nodes with a stale or missing backup"))
                .body(containsString(">none<"));
    }

    private void poll() {
        Run run = poller.pollNow().orElseThrow();
        assertThat(poller.pollNow()).as("a poll is skipped while the previous one runs").isEmpty();
        assertThat(RunWaits.finished(runs, run.id)).isFinished();
    }

    private static void pop(int index, String command) throws IOException, InterruptedException {
        assertThat(SimulatedNodes.pop(FLEET.node(index), command)).isIn(0, 11);
    }
}
