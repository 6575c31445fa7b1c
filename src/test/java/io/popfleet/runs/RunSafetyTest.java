package io.popfleet.runs;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;

import io.popfleet.api.FailureKind;
import io.popfleet.ops.OperationCatalog;
import io.popfleet.security.RoleHierarchy;
import io.popfleet.security.Roles;
import io.popfleet.testing.FleetNode;
import io.popfleet.testing.FleetRegistration;
import io.popfleet.testing.Inventory;
import io.popfleet.testing.PageSession;
import io.popfleet.testing.RunWaits;
import io.popfleet.testing.SimulatedNodes;
import io.popfleet.testing.SshTestFleet;

import static io.popfleet.runs.TargetState.FAILED;
import static io.popfleet.runs.TargetState.OK;
import static io.popfleet.testing.FleetAssertions.assertThat;
import static io.popfleet.testing.NodeBuilder.aNode;
import static io.popfleet.testing.RunRequests.read;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * Runs that always end and mutations that are never repeated by accident, over real SSH to simulated nodes, with a
 * 6-second exec timeout (long enough for a loaded machine's reads, short for a test) so that a node's own wait outlives it quickly (the sim's {@code slow-command} fault makes
 * every node-tool command sleep first).
 */
@QuarkusTest
@TestProfile(RunSafetyTest.ShortExecTimeout.class)
@TestSecurity(user = "test-admin", roles = Roles.ADMIN, augmentors = RoleHierarchy.class)
class RunSafetyTest {

    private static final String CREDENTIAL = "RunSafetyTest";

    /** The configured exec timeout, far below what the commands below wait on their nodes. */
    public static class ShortExecTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("popfleet.runs.exec-timeout-seconds", "6");
        }
    }

    @RegisterExtension
    static final SshTestFleet FLEET = SshTestFleet.ofSize(3);

    @Inject
    FleetRegistration registration;

    @Inject
    RunPlanner planner;

    @Inject
    RunService runs;

    @Inject
    TargetClaims claims;

    @Inject
    OperationCatalog catalog;

    private List<Long> nodeIds;

    @BeforeEach
    void registerTheFleet() {
        Inventory.clearWithRuns();
        nodeIds = registration.register(FLEET, CREDENTIAL, 0, node -> aNode().named(name(node)));
    }

    @AfterEach
    void leaveEveryNodeAsFound() throws Exception {
        FailingRecordObserver.FAIL_FOR_NODE.set(null);
        for (FleetNode node : FLEET.nodes()) {
            SimulatedNodes.popSim("clear", node.home().toString(), "slow-command");
            SimulatedNodes.pop(node, "start");
        }
        Inventory.clear();
    }

    @Test
    void aMutationThatWaitsOnTheNodeLongerThanTheExecTimeoutIsNotCutOff() throws Exception {
        slow(0, 9);
        Run run = planner.plan(catalog.call("restart", List.of(), Map.of("wait", "10")), only(0), "test");

        TargetView target = single(RunWaits.finished(runs, run.id, Duration.ofSeconds(60)).id());

        assertThat(target).as(target::toString).hasState(OK).hasExitCode(0);
        assertThat(target.durationMs()).as("the node worked longer than the 6 s exec timeout").isGreaterThan(8_000);
    }

    @Test
    void aTimedOutMutationIsNotRetryableAndIsReRunOnlyWhenTheOperatorConfirmsIt() throws Exception {
        slow(1, 9);
        Run stop = planner.plan(catalog.call("stop"), only(1), "test");
        Run status = planner.plan(read("status"), only(1), "test");

        TargetView mutation = single(RunWaits.finished(runs, stop.id, Duration.ofSeconds(60)).id());
        TargetView reading = single(RunWaits.finished(runs, status.id, Duration.ofSeconds(60)).id());

        assertThat(mutation).hasState(FAILED).hasKind(FailureKind.TIMEOUT);
        assertThat(mutation.retryable()).as("whether the stop happened is unknown").isFalse();
        assertThat(reading).hasState(FAILED).hasKind(FailureKind.TIMEOUT);
        assertThat(reading.retryable()).as("a read may simply be asked again").isTrue();
        QuarkusTransaction.requiringNew().run(() -> claims.sweepOrphans(0));
        assertThat(single(stop.id)).hasState(FAILED);
        assertThat(single(stop.id).attempts()).isEqualTo(1);
        assertThat(runs.count()).as("nothing ran again on its own").isEqualTo(2);

        given().contentType(ContentType.JSON).when().post("/api/v1/runs/" + stop.id + "/retry").then()
                .statusCode(409).body("type", equalTo("urn:popfleet:problem:confirmation-required"))
                .body("errors.field", equalTo(List.of(name(1))));
        assertThat(runs.count()).as("nothing started before the operator confirmed").isEqualTo(2);
        clearSlow(1);
        // The node goes on with the stop the controller gave up on; the re-run must not meet its lock.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> !Files.exists(FLEET.node(1).home().resolve("var/lib/popfleet/.lock"))
                        && localHealth(FLEET.node(1)).contains("\"service\":\"stopped\""));
        long retry = given().contentType(ContentType.JSON).when().post("/api/v1/runs/" + stop.id
                + "/retry?confirm=true").then().statusCode(201).body("retryOf", equalTo(stop.id.intValue()))
                .extract().jsonPath().getLong("id");
        assertThat(RunWaits.finished(runs, retry, Duration.ofSeconds(60))).hasCounts(1, 0);
        given().when().get("/api/v1/audit?action=run.start").then()
                .body("items[0].details.confirmed[0]", org.hamcrest.Matchers.startsWith(name(1) + ": the earlier stop"));
    }

    @Test
    void aReRunOnANodeDisabledSinceAsksFirst() throws Exception {
        slow(2, 9);
        Run status = planner.plan(read("version"), only(2), "test");
        assertThat(RunWaits.finished(runs, status.id, Duration.ofSeconds(60))).hasCounts(0, 1);
        clearSlow(2);
        QuarkusTransaction.requiringNew().run(() -> Run.getEntityManager().createNativeQuery(
                "update node set enabled = false where name = :name").setParameter("name", name(2)).executeUpdate());

        given().contentType(ContentType.JSON).when().post("/api/v1/runs/" + status.id + "/retry").then()
                .statusCode(409).body("errors.message", hasItem("this node has been disabled since"));
        // The page's "Re-run failed" shows what needs confirming, with a form that confirms it.
        PageSession page = PageSession.open("/runs/" + status.id);
        String asking = page.form().when().post("/runs/" + status.id + "/retry").then().statusCode(409)
                .extract().asString();
        assertThat(asking).contains("id=\"retry-confirm-form\"").contains(name(2))
                .contains("this node has been disabled since").contains("name=\"confirm\" value=\"yes\"");
        assertThat(runs.count()).as("nothing started before the operator confirmed").isEqualTo(1);
        String location = page.form().redirects().follow(false).formParam("confirm", "yes").when().post("/runs/" + status.id + "/retry")
                .then().statusCode(303).extract().header("Location");
        long retry = Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
        assertThat(RunWaits.finished(runs, retry, Duration.ofSeconds(60))).hasCounts(1, 0);
    }

    @Test
    void aLateResultOfAnOrphanedMutationIsStoredAndAudited() throws Exception {
        slow(2, 8);
        Run restart = planner.plan(catalog.call("restart", List.of(), Map.of("wait", "10")), only(2), "test");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> runs.countTargets(restart.id, "running") == 1);
        // Another controller takes this one for dead while the node still works on the restart.
        QuarkusTransaction.requiringNew().run(() -> {
            Run.getEntityManager().createNativeQuery("update run_target set heartbeat_at = now() - interval"
                    + " '10 minutes' where run_id = :run").setParameter("run", restart.id).executeUpdate();
            assertThat(claims.sweepOrphans(60)).isEqualTo(1);
        });
        assertThat(single(restart.id)).hasState(TargetState.ORPHANED);

        TargetView late = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> single(restart.id), target -> !target.state().equals("orphaned"));

        assertThat(late).as(late::toString).hasState(OK).hasDataFields("action");
        assertThat(late.failureKind()).isNull();
        assertThat(runs.get(restart.id).orElseThrow()).isFinished();
        given().when().get("/api/v1/audit?action=run.target.late-result").then().statusCode(200)
                .body("items[0].details.run", equalTo(restart.id.intValue()))
                .body("items[0].details.outcome", equalTo("ok"))
                .body("items[0].details.mutating", equalTo(true));
    }

    @Test
    void aValueTheQuotingLayerRefusesEndsItsTargetInsteadOfHoldingItRunning() {
        // Stored past the catalog (an older controller's run): the executor meets the quoting layer's limit.
        Run run = planner.plan(read("check-update", "--manifest", "https://example.com/" + "m".repeat(5_000)),
                only(0), "test");

        RunView view = RunWaits.finished(runs, run.id, Duration.ofSeconds(30));

        assertThat(view).isFinished().hasCounts(0, 1);
        assertThat(single(run.id)).hasState(FAILED).hasKind(FailureKind.INTERNAL);
        assertThat(single(run.id).failureMessage()).contains("UnsafeArgumentException");
    }

    @Test
    void aResultThatCannotBeStoredEndsItsTargetAsAnInternalFailure() {
        FailingRecordObserver.FAIL_FOR_NODE.set(nodeIds.get(0));
        Run run = planner.plan(read("version"), NodeSelection.all(), "test");

        RunView view = RunWaits.finished(runs, run.id, Duration.ofSeconds(30));

        assertThat(view).isFinished().hasCounts(2, 1);
        TargetView lost = runs.targets(run.id, "failed", 0, 10).get(0);
        assertThat(lost.nodeName()).isEqualTo(name(0));
        assertThat(lost).hasKind(FailureKind.INTERNAL);
        assertThat(lost.failureMessage()).contains("could not store").contains("a feature failed storing");
    }

    private TargetView single(long runId) {
        List<TargetView> targets = runs.targets(runId, null, 0, 10);
        assertThat(targets).hasSize(1);
        return targets.get(0);
    }

    private static NodeSelection only(int index) {
        return NodeSelection.named(List.of(name(FLEET.node(index))));
    }

    private static String name(int index) {
        return name(FLEET.node(index));
    }

    private static String name(FleetNode node) {
        return "safe-" + node.index();
    }

    private static void slow(int index, int seconds) throws Exception {
        SimulatedNodes.popSim("fault", FLEET.node(index).home().toString(), "slow-command", Integer.toString(seconds));
    }

    /** {@code pop --json health} run on the node's files directly, not over SSH (and so without its faults). */
    private static String localHealth(FleetNode node) throws Exception {
        return SimulatedNodes.popOutput(node, "--json", "health");
    }

    private static void clearSlow(int index) throws Exception {
        SimulatedNodes.popSim("clear", FLEET.node(index).home().toString(), "slow-command");
    }
}
