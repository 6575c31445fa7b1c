package io.popfleet.runs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;

import io.popfleet.api.FailureKind;
import io.popfleet.ops.OperationCall;
import io.popfleet.ops.OperationCatalog;
import io.popfleet.security.RoleHierarchy;
import io.popfleet.security.Roles;
import io.popfleet.testing.Fault;
import io.popfleet.testing.FleetNode;
import io.popfleet.testing.FleetRegistration;
import io.popfleet.testing.Inventory;
import io.popfleet.testing.RunWaits;
import io.popfleet.testing.SimulatedNodes;
import io.popfleet.testing.SshTestFleet;

import static io.popfleet.runs.TargetState.CANCELLED;
import static io.popfleet.runs.TargetState.FAILED;
import static io.popfleet.runs.TargetState.OK;
import static io.popfleet.testing.FleetAssertions.assertThat;
import static io.popfleet.testing.NodeBuilder.aNode;
import static io.popfleet.testing.RunRequests.inGroups;
import static io.popfleet.testing.RunRequests.read;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** Runs over a fleet of 50 in-process SSH nodes, each a pop-sim node running the real node tool. */
@QuarkusTest
// Not a security test: every request acts as an admin (RoleHierarchy adds operator and viewer, as in prod).
@TestSecurity(user = "test-admin", roles = Roles.ADMIN, augmentors = RoleHierarchy.class)
class FleetRunTest {

    private static final int SIZE = 50;

    private static final String CREDENTIAL = "FleetRunTest";

    @RegisterExtension
    static final SshTestFleet FLEET = SshTestFleet.ofSize(SIZE);

    @Inject
    FleetRegistration registration;

    @Inject
    RunPlanner planner;

    @Inject
    RunChangeSignal changes;

    @Inject
    RunService runs;

    @Inject
    TargetClaims claims;

    @Inject
    OperationCatalog catalog;

    @BeforeEach
    void registerTheFleet() {
        Inventory.clearWithRuns();
        registration.register(FLEET, CREDENTIAL, 0,
                node -> aNode().named(name(node)).inGroup(node.index() % 2 == 0 ? "even" : "odd"));
    }

    @org.junit.jupiter.api.AfterEach
    void leaveNoNodesBehind() {
        // Later test classes start their own fleets; a port of ours may be handed to one of theirs.
        Inventory.clear();
    }

    private static String name(FleetNode node) {
        return String.format("sim-%02d", node.index());
    }

    private RunView finished(long runId) {
        return RunWaits.finished(runs, runId, Duration.ofSeconds(120));
    }

    private List<TargetView> targets(long runId) {
        return runs.targets(runId, null, 0, 500);
    }

    private TargetView target(long runId, String nodeName) {
        return targets(runId).stream().filter(t -> t.nodeName().equals(nodeName)).findFirst().orElseThrow();
    }

    @Test
    void aStatusRunOverFiftyNodesStoresEveryNodesParsedStatus() throws Exception {
        long id = given().contentType(ContentType.JSON).body(Map.of("operation", "status"))
                .when().post("/api/v1/runs").then().statusCode(201)
                .body("total", equalTo(SIZE)).extract().jsonPath().getLong("id");

        RunView run = finished(id);

        assertThat(run).as(() -> "targets: " + targets(id)).isFinished().hasCounts(SIZE, 0);
        for (TargetView target : targets(id)) {
            assertThat(target).hasState(OK).hasDataFields("node_id", "service", "reputation").hasExitCode(0);
        }
        given().when().get("/api/v1/audit?action=run.start").then()
                .body("items[0].details.nodes", equalTo(SIZE))
                .body("items[0].details.operation", equalTo("status"));
    }

    @Test
    void nodesThatFailAreClassifiedAndReRunningOnlyTheFailedOnesWorks() throws Exception {
        FLEET.inject(3, Fault.REFUSE_CONNECTION);
        FLEET.inject(4, Fault.WRONG_HOST_KEY);
        FLEET.inject(5, Fault.DROP_MID_COMMAND);
        try {
            Run run = planner.plan(read("health"), NodeSelection.all(), "test");
            assertThat(finished(run.id)).hasCounts(SIZE - 3, 3);
            assertThat(target(run.id, "sim-03")).hasState(FAILED).hasKind(FailureKind.UNREACHABLE);
            assertThat(target(run.id, "sim-04")).hasState(FAILED).hasKind(FailureKind.HOSTKEY_MISMATCH);
            assertThat(target(run.id, "sim-05")).hasState(FAILED).hasKind(FailureKind.UNREACHABLE);
        } finally {
            FLEET.clear(3, Fault.REFUSE_CONNECTION);
            FLEET.clear(4, Fault.WRONG_HOST_KEY);
            FLEET.clear(5, Fault.DROP_MID_COMMAND);
        }
        long failedRun = runs.list(0, 1).get(0).id();
        long retry = given().contentType(ContentType.JSON).when().post("/api/v1/runs/" + failedRun + "/retry").then().statusCode(201)
                .body("total", equalTo(3)).body("retryOf", equalTo((int) failedRun))
                .extract().jsonPath().getLong("id");
        // The nodes are back (sim-04 shows its pinned key again), so every retried target succeeds.
        assertThat(finished(retry)).hasCounts(3, 0);
        assertThat(targets(retry)).extracting(TargetView::nodeName).containsExactly("sim-03", "sim-04", "sim-05");
    }

    @Test
    void cancellingStopsTargetsThatHaveNotStartedAndRunningOnesReportWhatHappened() throws Exception {
        // Every node answers slowly, so most targets are still queued when the operator cancels.
        for (FleetNode node : FLEET.nodes()) {
            SimulatedNodes.popSim("fault", node.home().toString(), "slow-command", "2");
        }
        Run run;
        try {
            run = planner.plan(read("status"), NodeSelection.all(), "test");
            given().contentType(ContentType.JSON).when().post("/api/v1/runs/" + run.id + "/cancel").then().statusCode(200)
                    .body("state", equalTo("cancelled"));
        } finally {
            for (FleetNode node : FLEET.nodes()) {
                SimulatedNodes.popSim("clear", node.home().toString(), "slow-command");
            }
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> runs.countTargets(run.id, "running") + runs.countTargets(run.id, "claimed") == 0);
        RunView view = runs.get(run.id).orElseThrow();
        assertThat(view).isCancelled();
        assertThat(view.count("cancelled")).isPositive();
        assertThat(view.count("cancelled") + view.count("ok")).as("every target cancelled or ok: %s",
                targets(run.id).stream().filter(t -> !t.state().equals(CANCELLED.dbValue())
                        && !t.state().equals(OK.dbValue())).toList()).isEqualTo(SIZE);
        assertThat(targets(run.id)).filteredOn(t -> t.state().equals(CANCELLED.dbValue()))
                .allSatisfy(t -> assertThat(t).neverStarted());
        assertThat(targets(run.id)).filteredOn(t -> t.state().equals(OK.dbValue()))
                .allSatisfy(t -> assertThat(t).hasDataFields("service"));
        given().contentType(ContentType.JSON).when().post("/api/v1/runs/" + run.id + "/cancel").then().statusCode(409)
                .body("type", equalTo("urn:popfleet:problem:run-not-running"));
    }

    @Test
    void targetsOfAControllerThatDiedAreTakenOverAndNoneIsLost() throws Exception {
        // Another controller plans the run and claims every target in the same transaction, then dies: no
        // more heartbeats. (One transaction, so this controller's executor cannot claim any first.)
        Run run = QuarkusTransaction.requiringNew().call(() -> {
            Run planned = planner.plan(read("health"),
                    inGroups("even"), "test");
            assertThat(claims.claim("dead-controller", planned.total)).hasSize(planned.total);
            return planned;
        });
        QuarkusTransaction.requiringNew().run(() -> Run.getEntityManager().createNativeQuery(
                "update run_target set heartbeat_at = now() - interval '5 minutes' where run_id = :run")
                .setParameter("run", run.id).executeUpdate());

        QuarkusTransaction.requiringNew().run(() -> claims.sweepOrphans(60));

        assertThat(finished(run.id)).isFinished().hasCounts(SIZE / 2, 0);
        assertThat(targets(run.id)).allSatisfy(t -> assertThat(t.attempts()).isEqualTo(2));
    }

    @Test
    void serverSentEventsDeliverEveryTargetChangeAndTheEnd() throws Exception {
        await().atMost(java.time.Duration.ofSeconds(10)).until(changes::listening);
        long before = System.nanoTime();
        Run run = planner.plan(read("version"),
                inGroups("odd"), "test");
        String stream = given().accept("text/event-stream").when().get("/api/v1/runs/" + run.id + "/events")
                .then().statusCode(200).extract().asString();
        for (int i = 1; i < SIZE; i += 2) {
            assertThat(stream).contains("\"nodeName\":\"" + String.format("sim-%02d", i) + "\",\"state\":\"ok\"");
        }
        assertThat(stream).contains("\"type\":\"run\",\"runState\":\"finished\"");
        assertThat(stream).as("answers only when asked for").doesNotContain("\"data\"", "\"toolVersion\"");
        // The stream was told of the changes by PostgreSQL (V106's triggers), not only by reading each interval.
        assertThat(changes.changedSince(run.id, before)).isTrue();
        assertThat(changes.changedSince(run.id + 1_000_000, before)).isFalse();

        // The run has ended: the stream replays every target's last change, now with the node's answer.
        String withResults = given().accept("text/event-stream").queryParam("results", true).when()
                .get("/api/v1/runs/" + run.id + "/events").then().statusCode(200).extract().asString();
        List<String> answers = withResults.lines().filter(line -> line.contains("\"state\":\"ok\"")).toList();
        assertThat(answers).hasSize(SIZE / 2).allSatisfy(line -> assertThat(line)
                .containsPattern("\"nodeId\":\\d+").contains("\"data\":{", "\"toolVersion\":\"", "\"nodeTime\":\""));
    }

    @Test
    void badArgumentsAreRefusedBeforeAnyNodeIsTouched() {
        given().contentType(ContentType.JSON).body(Map.of("operation", "set-wallet", "arguments",
                List.of("$(reboot)"))).when().post("/api/v1/runs").then().statusCode(400)
                .body("type", equalTo("urn:popfleet:problem:invalid-arguments"));
        given().contentType(ContentType.JSON).body(Map.of("operation", "status", "selection",
                Map.of("groups", List.of("nope")))).when().post("/api/v1/runs").then().statusCode(400)
                .body("type", equalTo("urn:popfleet:problem:empty-selection"));
        assertThat(runs.count()).isZero();
    }

    @Test
    void aSecondMutatingRunOnANodeWaitsForTheFirstInsteadOfMeetingTheNodesLock() throws Exception {
        // A node whose service never comes back holds the node tool's lock for the whole --wait: a second restart
        // sent meanwhile would fail at once with the tool's "conflict".
        FleetNode node = FLEET.nodes().get(7);
        SimulatedNodes.popSim("fault", node.home().toString(), "crash-on-start");
        List<TargetView> done = new java.util.ArrayList<>();
        try {
            OperationCall restart = catalog.call("restart", List.of(), Map.of("wait", "2"));
            Run first = planner.plan(restart, NodeSelection.named(List.of(name(node))), "test");
            Run second = planner.plan(restart, NodeSelection.named(List.of(name(node))), "test");
            finished(first.id);
            finished(second.id);
            done.add(targets(first.id).get(0));
            done.add(targets(second.id).get(0));
        } finally {
            SimulatedNodes.popSim("clear", node.home().toString(), "crash-on-start");
            SimulatedNodes.pop(node, "start");
        }

        assertThat(done).extracting(t -> t.data().get("error_code")).as(done::toString)
                .containsExactly("service_failed", "service_failed");
        // The later one's exec (its duration counts from its connect, not from its wait) began only when the
        // earlier one had finished; the slack covers writing the earlier result back.
        done.sort(java.util.Comparator.comparing(TargetView::finishedAt));
        Instant laterExecStarted = done.get(1).finishedAt().minusMillis(done.get(1).durationMs());
        assertThat(laterExecStarted).as(done::toString).isAfter(done.get(0).finishedAt().minusMillis(500));
    }
}
