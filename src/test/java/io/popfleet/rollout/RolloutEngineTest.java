package io.popfleet.rollout;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;

import io.popfleet.alerts.AlertService;
import io.popfleet.alerts.AlertView;
import io.popfleet.api.ProblemException;
import io.popfleet.database.SqlRow;
import io.popfleet.ops.OperationCatalog;
import io.popfleet.runs.NodeSelection;
import io.popfleet.runs.Run;
import io.popfleet.runs.RunPlanner;
import io.popfleet.security.RoleHierarchy;
import io.popfleet.security.Roles;
import io.popfleet.ssh.CredentialService;
import io.popfleet.ssh.HostKeyService;
import io.popfleet.testing.Fault;
import io.popfleet.testing.Inventory;
import io.popfleet.testing.SshTestFleet;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

/**
 * Rollouts over 100 simulated nodes in four regions, each node keeping its own record of the updates it received
 * and the version it runs ({@link RolloutNodes}). The test drives the engine's tick itself (the scheduled one may
 * tick too: the cluster lock lets one through at a time) and samples the controller's view at every tick.
 */
@QuarkusTest
@TestSecurity(user = "test-admin", roles = Roles.ADMIN, augmentors = RoleHierarchy.class)
class RolloutEngineTest {

    private static final int SIZE = 100;
    private static final String CREDENTIAL = "RolloutEngineTest";
    private static final String OLD = "0.2.7";
    private static final String NEW = "0.2.8";
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");
    private static final RolloutNodes NODES = new RolloutNodes(i -> region(i), i -> Duration.ofMillis(
            i % 4 == 3 ? 60 : 15));

    @RegisterExtension
    static final SshTestFleet FLEET = SshTestFleet.ofSize(SIZE).commands(NODES);

    @Inject
    RolloutService rollouts;

    @Inject
    RolloutEngine engine;

    @Inject
    ReleaseService releases;

    @Inject
    CredentialService credentials;

    @Inject
    HostKeyService hostKeys;

    @Inject
    EntityManager em;

    @Inject
    RunPlanner planner;

    @Inject
    AlertService alerts;

    @Inject
    OperationCatalog catalog;

    @Inject
    RolloutConfig config;

    private Release release;

    private static String region(int index) {
        return "r" + index % 4;
    }

    private static String name(int index) {
        return String.format("roll-%03d", index);
    }

    @BeforeEach
    void fleetOnTheOldVersion() {
        NODES.reset(SIZE, OLD);
        boolean registered = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from node where name like 'roll-%'").getSingleResult()).intValue() == SIZE);
        if (!registered) {
            Inventory.clearWithRuns();
            if (credentials.find(CREDENTIAL).isEmpty()) {
                credentials.importPrivateKey(CREDENTIAL, FLEET.clientKeyOpenSsh(null), null, "test");
            }
            // One statement for the hundred nodes (NodeService's per-node path is covered elsewhere and costs
            // seconds here); each id is a whole nextval, so it never meets an id Hibernate's pooled ranges hand out.
            QuarkusTransaction.requiringNew().run(() -> {
                for (int i = 0; i < SIZE; i++) {
                    em.createNativeQuery("insert into node (id, name, host, ssh_port, ssh_user, credential_ref,"
                            + " region) values (nextval('node_seq'), ?1, ?2, ?3, 'pop', ?4, ?5)")
                            .setParameter(1, name(i)).setParameter(2, FLEET.node(i).host())
                            .setParameter(3, FLEET.node(i).port()).setParameter(4, CREDENTIAL)
                            .setParameter(5, region(i)).executeUpdate();
                }
            });
            hostKeys.importKnownHosts(FLEET.knownHosts(), "test");
        }
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("delete from rollout").executeUpdate();
            em.createNativeQuery("delete from node_status").executeUpdate();
            em.createNativeQuery("insert into node_status (node_id, at, state, service_state, binary_version)"
                    + " select id, now(), 'up', 'running', '" + OLD + "' from node").executeUpdate();
        });
        release = releases.find(NEW).orElseGet(() -> releases.register(NEW, new ByteArrayInputStream(
                ("simulated pop " + NEW).getBytes(StandardCharsets.UTF_8)), "test"));
        NODES.knowRelease(release.sha256(), NEW);
    }

    @AfterEach
    void noRolloutLeftOpen() {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("delete from rollout").executeUpdate());
    }

    @AfterAll
    static void leaveNoNodesBehind() {
        Inventory.clearWithRuns();
        NODES.close();
    }

    /**
     * The whole fleet in a canary and three batches, at most 8 nodes per region at once and 17 of each region's 25
     * healthy: three nodes never become healthy (the node tool rolls them back) and one is unreachable. Four
     * failures against a budget of four: the rollout finishes, since only exceeding the budget stops it.
     */
    @Test
    void aFleetRolloutHoldsItsRegionLimitsEndsFailedNodesOnThePreviousVersionAndUpdatesNoNodeTwice() {
        List<Integer> neverHealthy = List.of(30, 57, 71);
        neverHealthy.forEach(i -> NODES.trouble(i, RolloutNodes.Trouble.NEVER_HEALTHY));
        FLEET.inject(88, Fault.REFUSE_CONNECTION);
        RolloutPreview preview = rollouts.preview(request(null, new StrategySpec("region", null, "2", false,
                "10%, 25%, rest", 8, 17, "4", 30, 0, 0, true)));
        assertThat(preview.batches()).extracting(batch -> batch.nodes().size()).containsExactly(2, 10, 25, 63);
        assertThat(preview.skipped()).isEmpty();
        RolloutView started = rollouts.start(request(null, preview.strategy()), "test-admin");

        List<String> violations = new ArrayList<>();
        RolloutView done = runUntil(started.id(), view -> view.finishedAt() != null, () -> sampleLimits(
                started.id(), 8, 17, violations));

        assertThat(violations).isEmpty();
        assertThat(done.state()).as("%s", done).isEqualTo("finished");
        assertThat(done.failures()).isEqualTo(4);
        Map<String, String> steps = steps(started.id());
        for (int i = 0; i < SIZE; i++) {
            if (neverHealthy.contains(i)) {
                assertThat(steps.get(name(i))).isEqualTo("reverted");
                assertThat(NODES.version(i)).isEqualTo(OLD);
                assertThat(NODES.updates(i)).containsExactly("update");
            } else if (i == 88) {
                assertThat(steps.get(name(i))).isEqualTo("failed");
                assertThat(NODES.updates(i)).isEmpty();
                assertThat(NODES.version(i)).isEqualTo(OLD);
            } else {
                assertThat(steps.get(name(i))).as(name(i)).isEqualTo("healthy");
                assertThat(NODES.updates(i)).as(name(i)).containsExactly("update");
                assertThat(NODES.version(i)).isEqualTo(NEW);
            }
        }
        assertThat(NODES.maxConcurrentUpdates()).hasSize(4).allSatisfy((region, max) -> assertThat(max)
                .as("updates at once in %s", region).isBetween(1, 8));
        // Shipped once per node that could be reached; nothing shipped twice.
        assertThat(NODES.uploads()).isEqualTo(SIZE - 1);
        assertThat(failureOf(started.id(), name(88))).contains("unreachable");
        assertThat(statusVersions(0, 1)).as("updated, as it answered").containsExactly(NEW);
        assertThat(statusVersions(30, 31)).as("rolled back, as its rollback answered").containsExactly(OLD);
        // The nodes are free again: the next rollout may take them.
        assertThat(count("select count(*) from rollout_node where holds")).isZero();
    }

    @Test
    void aFailedCanaryStopsTheRolloutBeforeTheFirstBatch() {
        NODES.trouble(0, RolloutNodes.Trouble.NEVER_HEALTHY);
        RolloutView started = rollouts.start(request(names(0, 20), new StrategySpec("name", null, "2", false,
                "rest", 0, 0, "50%", 30, 0, 0, true)), "test-admin");
        RolloutView done = runUntil(started.id(), view -> view.finishedAt() != null, () -> { });
        assertThat(done.state()).isEqualTo("failed");
        assertThat(done.reason()).contains("canary");
        assertThat(NODES.updates(0)).containsExactly("update");
        assertThat(NODES.updates(1)).containsExactly("update");
        IntStream.range(2, 20).forEach(i -> assertThat(NODES.updates(i)).as(name(i)).isEmpty());
        assertThat(steps(started.id()).values().stream().filter("cancelled"::equals)).hasSize(18);
    }

    @Test
    void theBudgetIsCountedOverTheRolloutAndStopsItWhenExceeded() {
        List.of(1, 2, 3).forEach(i -> NODES.trouble(i, RolloutNodes.Trouble.NEVER_HEALTHY));
        RolloutView started = rollouts.start(request(names(0, 40), new StrategySpec("name", null, "0", false,
                "10, rest", 0, 0, "2", 30, 0, 0, true)), "test-admin");
        RolloutView done = runUntil(started.id(), view -> view.finishedAt() != null, () -> { });
        assertThat(done.state()).isEqualTo("failed");
        assertThat(done.reason()).isEqualTo("failure budget exceeded: 3 nodes failed, 2 allowed");
        IntStream.range(10, 40).forEach(i -> assertThat(NODES.updates(i)).as(name(i)).isEmpty());
        IntStream.range(0, 10).filter(i -> i > 3).forEach(i -> assertThat(NODES.version(i)).isEqualTo(NEW));
    }

    @Test
    void aNodeSickAfterItsMinimumHealthyTimeIsRolledBackByTheController() {
        NODES.trouble(2, RolloutNodes.Trouble.SICK_LATER);
        RolloutView started = rollouts.start(request(names(0, 4), new StrategySpec("name", null, "0", false,
                "rest", 0, 0, "1", 30, 1, 0, true)), "test-admin");
        RolloutView done = runUntil(started.id(), view -> view.finishedAt() != null, () -> { });
        assertThat(done.state()).isEqualTo("finished");
        assertThat(steps(started.id())).containsEntry(name(2), "reverted").containsEntry(name(3), "healthy");
        assertThat(NODES.updates(2)).containsExactly("update", "rollback");
        assertThat(NODES.version(2)).isEqualTo(OLD);
        assertThat(NODES.version(3)).isEqualTo(NEW);
        assertThat(failureOf(started.id(), name(2))).contains("not healthy on " + NEW);
    }

    /**
     * A soak after each batch of two: one node's reputation falls 0.3 on the new version (beyond the 0.05 allowed),
     * another's 0.02 (within it). The first fails the gate, is rolled back by the controller and counts against the
     * budget; the second passes. The preview's time includes the soaks, and the rollout shows its gate meanwhile.
     */
    @Test
    void aNodeWhoseReputationFallsDuringTheSoakFailsTheGateAndIsRolledBack() {
        NODES.dropReputationAfterUpdate(65, 0.3);
        NODES.dropReputationAfterUpdate(66, 0.02);
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update node_status set reputation = ?1,"
                + " uptime_score = ?2, historical_score = ?3, egress_score = ?4").setParameter(1,
                        RolloutNodes.REPUTATION).setParameter(2, RolloutNodes.UPTIME)
                .setParameter(3, RolloutNodes.HISTORICAL).setParameter(4, RolloutNodes.EGRESS).executeUpdate());
        StrategySpec soaked = new StrategySpec("name", null, "0", false, "2, rest", 0, 0, "1", 30, 0, 0, true, null,
                null, 1, 0.05);
        RolloutPreview preview = rollouts.preview(request(names(64, 68), soaked));
        RolloutPreview unsoaked = rollouts.preview(request(names(64, 68), new StrategySpec("name", null, "0", false,
                "2, rest", 0, 0, "1", 30, 0, 0, true)));
        assertThat(preview.batches()).hasSize(2);
        assertThat(preview.estimatedSeconds() - unsoaked.estimatedSeconds()).as("two soaks and their reads")
                .isEqualTo(2 * (1 + config.estimatedNodeSeconds()));

        RolloutView started = rollouts.start(request(names(64, 68), preview.strategy()), "test-admin");
        List<String> gates = new ArrayList<>();
        RolloutView done = runUntil(started.id(), view -> view.finishedAt() != null, () -> {
            String gate = rollouts.get(started.id()).gate();
            if (gate != null && !gates.contains(gate.replaceAll("\\d", "#"))) {
                gates.add(gate.replaceAll("\\d", "#"));
            }
        });

        assertThat(done.state()).as("%s", done).isEqualTo("finished");
        assertThat(done.failures()).isEqualTo(1);
        assertThat(steps(started.id())).containsEntry(name(64), "healthy").containsEntry(name(65), "reverted")
                .containsEntry(name(66), "healthy").containsEntry(name(67), "healthy");
        assertThat(NODES.updates(65)).containsExactly("update", "rollback");
        assertThat(NODES.version(65)).isEqualTo(OLD);
        assertThat(NODES.updates(66)).containsExactly("update");
        assertThat(NODES.version(66)).isEqualTo(NEW);
        assertThat(failureOf(started.id(), name(65))).startsWith("soak: reputation 0.800 → 0.500, uptime 0.900 →"
                + " 0.600").endsWith("rolled back");
        assertThat(gates).anySatisfy(gate -> assertThat(gate).startsWith("soak until "));
        // the soak's reads are monitoring's figures too: the node's history holds what the gate compared
        assertThat(count("select count(*) from node_metric m join node n on n.id = m.node_id where n.name = '"
                + name(66) + "' and abs(m.reputation - 0.78) < 0.0001")).isPositive();
    }

    /**
     * While the first batch soaks, the second batch gets the release ahead of its turn and nothing else; an abort
     * then leaves those nodes with the file only. Each node is sent the bytes once, however many ticks pass.
     */
    @Test
    void theNextBatchGetsTheReleaseAheadWhileTheFirstSoaksAndNothingElse() {
        RolloutView started = rollouts.start(request(names(70, 76), new StrategySpec("name", null, "0", false,
                "2, rest", 0, 0, "1", 30, 0, 0, true, null, null, 600, 0.05)), "test-admin");
        RolloutView soaking = runUntil(started.id(), view -> view.gate() != null && view.gate().startsWith("soak")
                && rollouts.nodes(started.id()).stream().filter(node -> Boolean.TRUE.equals(node.stagedAhead()))
                        .count() == 4, () -> { });
        for (int i = 0; i < 5; i++) {
            engine.tick();
        }

        assertThat(soaking.currentBatch()).isZero();
        Map<String, String> steps = steps(started.id());
        for (int i = 70; i < 76; i++) {
            boolean first = i < 72;
            assertThat(steps.get(name(i))).as(name(i)).isEqualTo(first ? "soaking" : "pending");
            assertThat(NODES.updates(i)).as(name(i)).hasSize(first ? 1 : 0);
            assertThat(NODES.uploads(i)).as("%s got the release once", name(i)).isEqualTo(1);
        }
        given().get("/rollouts/" + started.id() + "/live").then().statusCode(200).body(containsString(
                "title=\"r0 pending, release staged ahead\">" + name(72) + "<"));

        // The abort cancels the waiting nodes at once (the first batch's soak runs its course).
        assertThat(rollouts.abort(started.id(), "test-admin").state()).isEqualTo("aborted");
        for (int i = 0; i < 5; i++) {
            engine.tick();
        }
        for (int i = 72; i < 76; i++) {
            assertThat(steps(started.id()).get(name(i))).isEqualTo("cancelled");
            assertThat(NODES.updates(i)).as(name(i)).isEmpty();
            assertThat(NODES.version(i)).isEqualTo(OLD);
        }
    }

    /**
     * Staging ahead never sends a node the release twice, however its turn meets its order ahead (queued: it gives
     * way; on its way: the turn waits for it and finds the file).
     */
    @Test
    void aRolloutWithoutSoaksShipsEachNodeOnceWithStagingAhead() {
        // Not roll-088: the fleet test refuses its connections, which a session kept from here would outlive.
        RolloutView started = rollouts.start(request(names(40, 64), new StrategySpec("name", null, "1", false,
                "3, 5, rest", 2, 0, "1", 30, 0, 0, true)), "test-admin");
        RolloutView done = runUntil(started.id(), view -> view.finishedAt() != null, () -> { });

        assertThat(done.state()).as("%s", done).isEqualTo("finished");
        assertThat(steps(started.id()).values()).containsOnly("healthy");
        for (int i = 40; i < 64; i++) {
            assertThat(NODES.uploads(i)).as("%s got the release once", name(i)).isEqualTo(1);
            assertThat(NODES.updates(i)).as(name(i)).containsExactly("update");
        }
    }

    @Test
    void promotePauseResumeAndAbortStartNoNodeTheyShouldNot() {
        RolloutView started = rollouts.start(request(names(0, 30), new StrategySpec("name", null, "1", true,
                "4, rest", 2, 0, "0", 30, 0, 0, true)), "test-admin");
        RolloutView waiting = runUntil(started.id(), view -> view.state().equals("awaiting_promotion"), () -> { });
        assertThat(waiting.nodes()).containsEntry("healthy", 1);
        assertThat(updated()).isEqualTo(1);
        assertThatThrownBy(() -> rollouts.resume(started.id(), "test-admin")).isInstanceOf(ProblemException.class);

        rollouts.promote(started.id(), "test-admin");
        runUntil(started.id(), view -> view.nodes().getOrDefault("healthy", 0) >= 2, () -> { });
        rollouts.pause(started.id(), "test-admin");
        RolloutView paused = runUntil(started.id(), view -> inFlight(view) == 0, () -> { });
        int before = updated();
        for (int i = 0; i < 5; i++) {
            engine.tick();
        }
        assertThat(rollouts.get(started.id()).nodes()).isEqualTo(paused.nodes());
        assertThat(updated()).isEqualTo(before);

        rollouts.resume(started.id(), "test-admin");
        runUntil(started.id(), view -> view.currentBatch() == 2 && view.nodes().getOrDefault("healthy", 0) >= 7,
                () -> { });
        RolloutView aborted = rollouts.abort(started.id(), "test-admin");
        assertThat(aborted.state()).isEqualTo("aborted");
        RolloutView done = runUntil(started.id(), view -> view.finishedAt() != null, () -> { });
        assertThat(done.state()).isEqualTo("aborted");
        Map<String, String> steps = steps(started.id());
        assertThat(steps.values()).containsOnly("healthy", "cancelled");
        for (int i = 0; i < 30; i++) {
            assertThat(NODES.updates(i)).as(name(i)).hasSize(steps.get(name(i)).equals("healthy") ? 1 : 0);
        }
        assertThat(steps.values().stream().filter("cancelled"::equals).count()).isPositive();
    }

    @Test
    void aNodeInAnOpenRolloutIsSkippedByTheNextPreviewAndThePagesShowIt() {
        RolloutView open = rollouts.start(request(names(0, 10), new StrategySpec("name", null, "0", false, "rest", 0, 0, "0", 30, 0,
                0, true)), "test-admin");
        // paused at once: ten quick nodes would otherwise finish (and free their nodes) before a loaded machine
        // got to the preview and the pages
        rollouts.pause(open.id(), "test-admin");
        RolloutPreview next = rollouts.preview(request(names(5, 15), null));
        assertThat(next.skipped()).extracting(RolloutPreview.Skipped::node).containsExactly(name(5), name(6),
                name(7), name(8), name(9));
        assertThat(next.skipped()).extracting(RolloutPreview.Skipped::reason).containsOnly("in-rollout");
        assertThat(next.eligible()).isEqualTo(5);
        given().get("/rollouts").then().statusCode(200).body(containsString("href=\"/rollouts/" + open.id() + "\""));
        given().get("/rollouts/" + open.id()).then().statusCode(200).body(containsString("id=\"rollout-abort\""),
                containsString("data-batch=\"0\""), containsString(name(9)));
        given().get("/rollouts/" + open.id() + "/live").then().statusCode(200).body(containsString("rollout-state"));
    }

    /**
     * A held node takes no other change: a mutating run over it is refused whole when planned (naming the rollout),
     * a read still runs, and a run planned just before a rollout took its node is refused when claimed, unsent.
     */
    @Test
    void aNodeInARolloutTakesNoOtherMutatingRunWhenPlannedNorWhenClaimed() {
        RolloutView open = rollouts.start(request(names(0, 4), new StrategySpec("name", null, "0", false, "rest", 0,
                0, "0", 30, 0, 0, true)), "test-admin");
        rollouts.pause(open.id(), "test-admin");
        long runsBefore = count("select count(*) from run");
        assertThatThrownBy(() -> planner.plan(catalog.call("restart"), NodeSelection.named(List.of(name(2),
                name(10))), "test-admin")).isInstanceOfSatisfying(ProblemException.class, problem -> {
                    assertThat(problem.status()).isEqualTo(409);
                    assertThat(problem.getMessage()).contains("rollout " + open.id() + " (" + NEW).contains(name(2))
                            .doesNotContain(name(10));
                });
        assertThat(count("select count(*) from run")).isEqualTo(runsBefore);
        given().contentType("application/json").body(Map.of("operation", "restart", "selection", Map.of("nodes",
                List.of(name(3))))).post("/api/v1/runs").then().statusCode(409)
                .body(containsString("node-in-rollout"), containsString("rollout " + open.id()));
        assertThat(planner.plan(catalog.call("health"), NodeSelection.named(List.of(name(2))), "test-admin").total)
                .isEqualTo(1);

        // The race: the restart is planned while the node is free, and a rollout takes the node before any
        // executor claims the target (both commit together, so none can).
        long[] race = QuarkusTransaction.requiringNew().call(() -> {
            Run restart = planner.plan(catalog.call("restart"), NodeSelection.named(List.of(name(20))),
                    "test-admin");
            RolloutView taker = rollouts.start(request(names(20, 22), new StrategySpec("name", null, "0", false,
                    "rest", 0, 0, "0", 30, 0, 0, true)), "test-admin");
            rollouts.pause(taker.id(), "test-admin");
            return new long[] {restart.id, taker.id()};
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> count("select count(*) from run_target where run_id = "
                + race[0] + " and state = 'failed'") == 1);
        String why = QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery("select"
                + " failure_kind || ': ' || failure_message from run_target where run_id = ?1")
                .setParameter(1, race[0]).getSingleResult());
        assertThat(why).startsWith("not_allowed: ").contains("held by rollout " + race[1]);
        assertThat(NODES.updates(20)).doesNotContain("restart");
    }

    /**
     * Outside its maintenance window no node starts; past its progress deadline the rollout stops on its own, and
     * the nodes it left behind raise {@code rollout_stopped} until a later rollout takes them.
     */
    @Test
    void noNodeStartsOutsideTheWindowAndTheDeadlineStopsTheRolloutWithAnAlert() {
        LocalTime now = LocalTime.now(ZoneOffset.UTC);
        String closed = now.plusHours(2).format(HH_MM) + "-" + now.plusHours(3).format(HH_MM);
        RolloutView started = rollouts.start(request(names(40, 46), new StrategySpec("name", null, "0", false,
                "rest", 0, 0, "0", 30, 0, 0, true, 2, closed)), "test-admin");
        assertThat(started.strategy().window()).isEqualTo(closed);
        for (int i = 0; i < 5; i++) {
            engine.tick();
        }
        assertThat(rollouts.get(started.id()).nodes()).containsOnlyKeys("pending");
        RolloutView done = runUntil(started.id(), view -> view.finishedAt() != null, () -> { });
        assertThat(done.state()).isEqualTo("failed");
        assertThat(done.reason()).startsWith("progress deadline: not done 2 s after it started (0 of 6");
        IntStream.range(40, 46).forEach(i -> assertThat(NODES.updates(i)).as(name(i)).isEmpty());

        List<String> alerted = alerts.evaluateAndNotify().opened().stream()
                .filter(alert -> alert.rule().equals("rollout_stopped")).map(AlertView::nodeName).sorted().toList();
        assertThat(alerted).isEqualTo(names(40, 46));
        // A later rollout that takes one of them ends that node's alert.
        rollouts.start(request(names(45, 46), null), "test-admin");
        assertThat(alerts.evaluateAndNotify().resolved()).extracting(AlertView::nodeName).contains(name(45))
                .doesNotContain(name(44));
    }

    /** "Roll back the updated nodes": refused while the rollout is open, then a rollout back to 0.2.7. */
    @Test
    void theUpdatedNodesRollBackInAFollowUpRolloutAndTheFleetVersionsShowWhoIsBehind() {
        RolloutView forward = rollouts.start(request(names(60, 64), new StrategySpec("name", null, "0", false,
                "rest", 0, 0, "0", 30, 0, 0, true)), "test-admin");
        assertThatThrownBy(() -> rollouts.rollBack(forward.id(), "test-admin")).hasMessageContaining("abort it");
        runUntil(forward.id(), view -> view.finishedAt() != null, () -> { });
        // What the nodes answered is the fleet's view at once, without waiting for the next poll.
        assertThat(statusVersions(60, 64)).containsOnly(NEW).hasSize(4);
        assertThat(rollouts.versions(NEW).versions()).filteredOn(v -> v.version().equals(NEW))
                .singleElement().satisfies(v -> assertThat(v.nodes()).isEqualTo(4));
        assertThatThrownBy(() -> rollouts.rollBack(forward.id(), "test-admin")).hasMessageContaining("register");
        Release old = releases.find(OLD).orElseGet(() -> releases.register(OLD, new ByteArrayInputStream(
                ("simulated pop " + OLD).getBytes(StandardCharsets.UTF_8)), "test"));
        NODES.knowRelease(old.sha256(), OLD);
        RolloutView back = rollouts.rollBack(forward.id(), "test-admin");
        assertThat(back.version()).isEqualTo(OLD);
        assertThat(back.eligible()).isEqualTo(4);
        RolloutView done = runUntil(back.id(), view -> view.finishedAt() != null, () -> { });
        assertThat(done.state()).isEqualTo("finished");
        IntStream.range(60, 64).forEach(i -> {
            assertThat(NODES.version(i)).isEqualTo(OLD);
            assertThat(NODES.updates(i)).containsExactly("update", "update");
        });
        assertThat(count("select rolls_back from rollout where id = " + back.id())).isEqualTo(forward.id());
        assertThat(statusVersions(60, 64)).containsOnly(OLD).hasSize(4);

        FleetVersions versions = rollouts.versions(NEW);
        assertThat(versions.target()).isEqualTo(NEW);
        assertThat(versions.versions()).extracting(FleetVersions.Version::version).startsWith(OLD);
        assertThat(versions.behind()).isEqualTo(versions.versions().get(0).nodes()).isPositive();
    }

    /** The binary version each node's latest status holds, for nodes {@code from} (inclusive) to {@code to}. */
    private List<String> statusVersions(int from, int to) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<String> versions = new ArrayList<>();
            for (int i = from; i < to; i++) {
                versions.add((String) em.createNativeQuery("select s.binary_version from node_status s join node n"
                        + " on n.id = s.node_id where n.name = ?1").setParameter(1, name(i)).getSingleResult());
            }
            return versions;
        });
    }

    private RolloutView runUntil(long id, Predicate<RolloutView> done, Runnable sample) {
        RolloutView[] last = new RolloutView[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
            engine.tick();
            sample.run();
            last[0] = rollouts.get(id);
            return done.test(last[0]);
        });
        return last[0];
    }

    /** The controller's own view at this instant: per region, nodes being worked on and healthy ones left. */
    private void sampleLimits(long id, int maxPerRegion, int minHealthy, List<String> violations) {
        QuarkusTransaction.requiringNew().run(() -> {
            for (SqlRow row : SqlRow.list(SqlRow.query(em, "select region, count(*) filter (where state in ("
                    + NodeStep.sqlList(NodeStep.IN_FLIGHT) + ")) as busy from rollout_node where rollout_id = :id"
                    + " group by region").setParameter("id", id))) {
                long busy = row.whole("busy");
                if (busy > maxPerRegion || 25 - busy < minHealthy) {
                    violations.add(row.text("region") + ": " + busy + " updating at once");
                }
            }
        });
    }

    private Map<String, String> steps(long id) {
        Map<String, String> steps = new TreeMap<>();
        rollouts.nodes(id).forEach(node -> steps.put(node.node(), node.state()));
        return steps;
    }

    private String failureOf(long id, String node) {
        return rollouts.nodes(id).stream().filter(view -> view.node().equals(node)).findFirst().orElseThrow()
                .failure();
    }

    private static int inFlight(RolloutView view) {
        return NodeStep.IN_FLIGHT.stream().mapToInt(step -> view.nodes().getOrDefault(step.dbValue(), 0)).sum();
    }

    private static int updated() {
        return (int) IntStream.range(0, SIZE).filter(i -> !NODES.updates(i).isEmpty()).count();
    }

    private long count(String sql) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(sql).getSingleResult())
                .longValue());
    }

    private static List<String> names(int from, int to) {
        return IntStream.range(from, to).mapToObj(RolloutEngineTest::name).toList();
    }

    private RolloutRequest request(List<String> names, StrategySpec strategy) {
        return new RolloutRequest(NEW, null, null, null, names, strategy);
    }
}
