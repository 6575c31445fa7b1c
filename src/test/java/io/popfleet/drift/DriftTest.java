package io.popfleet.drift;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;

import io.popfleet.metrics.MetricsPoller;
import io.popfleet.ops.OperationCall;
import io.popfleet.ops.OperationCatalog;
import io.popfleet.runs.NodeSelection;
import io.popfleet.runs.Run;
import io.popfleet.runs.RunPlanner;
import io.popfleet.runs.RunService;
import io.popfleet.security.RoleHierarchy;
import io.popfleet.security.Roles;
import io.popfleet.testing.FleetNode;
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
 * Four simulated nodes over real SSH, three of them drifting in every way the view knows; the monitoring poll
 * brings the facts in, the view explains them, and the fixes it offers, run as ordinary runs, mend a node.
 */
@QuarkusTest
// Not a security test: every request acts as an admin (RoleHierarchy adds operator and viewer, as in prod).
@TestSecurity(user = "test-admin", roles = Roles.ADMIN, augmentors = RoleHierarchy.class)
@TestProfile(DriftTest.PortsExpected.class)
class DriftTest {

    private static final String CREDENTIAL = "DriftTest";
    private static final String OTHER_WALLET = "7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU";

    /** The fleet wants ports 80/443 on every node; no target version, so the newest in the fleet is the target. */
    public static class PortsExpected implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("popfleet.fleet.ports-80-443", "true");
        }
    }

    @RegisterExtension
    static final SshTestFleet FLEET = SshTestFleet.ofSize(4);

    @Inject
    FleetRegistration registration;

    @Inject
    MetricsPoller poller;

    @Inject
    RunService runs;

    @Inject
    RunPlanner planner;

    @Inject
    DriftService drift;

    @Inject
    OperationCatalog catalog;

    @AfterEach
    void stopServices() throws Exception {
        for (FleetNode node : FLEET.nodes()) {
            if (Files.exists(node.home().resolve("etc/pop/pop.conf"))) {
                SimulatedNodes.pop(node, "stop");
                SimulatedNodes.popSim("clear", node.home().toString());
            }
        }
        Inventory.clear();
    }

    @Test
    void driftIsFoundExplainedAndMendedByTheCommandsItOffers() throws Exception {
        Inventory.clearWithRuns();
        SimulatedNodes.popSim("init", FLEET.node(2).home().toString(), "--seed", "402", "--version", "0.2.7");
        // 0: all agree, its inventory wallet included. 1: wallet and ports changed without a restart.
        // 2: an old binary, ports off, and the inventory wants another wallet. 3: a hand-edited unit, nginx on 80.
        List<Long> ids = registration.register(FLEET, CREDENTIAL, 400, node -> aNode().named("drift-" + node.index())
                .withWallet(switch (node.index()) {
                    case 0 -> configWallet(node);
                    case 2 -> OTHER_WALLET;
                    default -> null;
                }));
        long id0 = ids.get(0);
        long id1 = ids.get(1);
        String wallet1 = configWallet(FLEET.node(1));
        assertThat(pop(2, "configure", "enable_80_443=false")).isZero();
        for (FleetNode node : FLEET.nodes()) {
            assertThat(SimulatedNodes.pop(node, "start")).isZero();
        }
        assertThat(pop(1, "set-wallet", OTHER_WALLET)).isZero();
        assertThat(pop(1, "ports", "--disable-80-443")).isZero();
        // A hand edit of the settings drop-in, whose ExecStart is the one systemd runs.
        Path unit = FLEET.node(3).home().resolve("etc/systemd/system/pop.service.d/popfleet.conf");
        Files.createDirectories(unit.getParent());
        Files.writeString(unit, "[Service]\nExecStart=\nExecStart=/opt/pop/pop --ram=8 --pubKey=" + OTHER_WALLET + "\n");
        SimulatedNodes.popSim("fault", FLEET.node(3).home().toString(), "port-80-taken");

        poll();
        DriftReport report = drift.report(Optional.empty(), 100);
        assertThat(report.targetVersion()).isEqualTo("0.2.8");
        assertThat(report.targetConfigured()).isFalse();
        assertThat(report.total()).isEqualTo(3);
        assertThat(report.counts()).containsEntry("wallet_inventory", 1L).containsEntry("wallet_unit", 1L)
                .containsEntry("wallet_process", 1L).containsEntry("version", 1L).containsEntry("ports_setting", 2L)
                .containsEntry("ports_process", 1L).containsEntry("ports_conflict", 1L);
        assertThat(report.nodes()).extracting(NodeDrift::name).containsExactly("drift-1", "drift-2", "drift-3");

        NodeDrift one = report.nodes().get(0);
        assertThat(one.findings()).extracting(DriftFinding::code)
                .containsExactly("wallet_process", "ports_setting", "ports_process");
        assertThat(one.findings().get(0).expected()).isEqualTo(OTHER_WALLET);
        assertThat(one.findings().get(0).actual()).isEqualTo(wallet1);
        assertThat(one.findings().get(0).fix().command()).isEqualTo("pop restart");
        assertThat(one.findings().get(1).fix().command()).isEqualTo("pop enable-80-443 --restart");

        NodeDrift two = report.nodes().get(1);
        assertThat(two.findings()).extracting(DriftFinding::code)
                .containsExactly("wallet_inventory", "version", "ports_setting");
        assertThat(two.findings().get(0).fix().command()).isEqualTo("pop set-wallet " + OTHER_WALLET + " --restart");
        assertThat(two.findings().get(1).actual()).isEqualTo("0.2.7");
        // A binary reaches a node through a rollout of a registered release, never a bare `pop update` run.
        assertThat(two.findings().get(1).fix().rollout()).isTrue();
        assertThat(two.findings().get(1).fix().options()).containsExactly(Map.entry("version", "0.2.8"));
        assertThat(two.findings().get(1).fix().command()).isEqualTo("popfleet rollout start 0.2.8");

        NodeDrift three = report.nodes().get(2);
        assertThat(three.findings()).extracting(DriftFinding::code).containsExactly("wallet_unit", "ports_conflict");
        assertThat(three.findings().get(0).actual()).isEqualTo(OTHER_WALLET);
        assertThat(three.findings().get(1).actual()).contains("80 taken by nginx");
        assertThat(three.findings().get(1).fix().note()).contains("stop or move the other program");

        // Every fix the view offers but the rollout is a call the catalog accepts as it stands.
        for (NodeDrift node : report.nodes()) {
            for (DriftFinding finding : node.findings()) {
                assertThat(finding.fix().rollout()).as(finding.code()).isEqualTo(finding.kind() == DriftKind.VERSION);
                if (!finding.fix().rollout()) {
                    assertThat(call(finding.fix())).as(finding.fix().command()).isNotNull();
                }
            }
        }

        // Only one kind: the counts still cover every kind.
        DriftReport versions = drift.report(DriftKind.byCode("version"), 100);
        assertThat(versions.total()).isEqualTo(1);
        assertThat(versions.nodes()).extracting(NodeDrift::name).containsExactly("drift-2");
        assertThat(versions.counts()).containsEntry("ports_setting", 2L);

        // The pages and the API.
        given().when().get("/drift").then().statusCode(200).body(containsString("data-node=\"drift-3\""))
                .body(containsString("pop set-wallet " + OTHER_WALLET + " --restart"))
                .body(not(containsString("data-node=\"drift-0\"")));
        given().when().get("/nodes/" + id1).then().statusCode(200).body(containsString("id=\"node-drift\""))
                .body(containsString("Running process has another wallet")).body(containsString("pop restart"));
        given().when().get("/nodes/" + id0).then().statusCode(200).body(not(containsString("id=\"node-drift\"")));
        given().when().get("/fleet").then().statusCode(200)
                .body(containsString("<div class=\"value\">3</div><div class=\"label\">nodes that"));
        given().when().get("/drift?kind=ports_setting").then().statusCode(200)
                .body(containsString("id=\"bulk-fix\""))
                .body(containsString("name=\"nodes\" value=\"drift-1 drift-2\""));
        given().when().get("/api/v1/drift?kind=version").then().statusCode(200).body("total", equalTo(1))
                .body("nodes[0].findings[0].code", equalTo("version"))
                .body("nodes[0].findings[0].title", equalTo("Binary is not the target version"))
                .body("nodes[0].findings[0].fix.operation", equalTo("rollout"))
                .body("nodes[0].findings[0].fix.options.version", equalTo("0.2.8"));
        PageSession.open("/drift").form().formParam("operation", "restart").formParam("nodes", "drift-1 drift-2")
                .when().post("/runs/new/prepare").then().statusCode(200)
                .body(containsString("value=\"drift-1 drift-2\"")).body(containsString("2 nodes"));

        // Mend node 1 with the fixes the view offered, as runs like any other, and poll again.
        mend("drift-1", one.findings().get(0).fix());
        poll();
        assertThat(drift.report(Optional.empty(), 100).nodes().get(0).findings()).extracting(DriftFinding::code)
                .containsExactly("ports_setting");
        mend("drift-1", drift.report(Optional.empty(), 100).nodes().get(0).findings().get(0).fix());
        poll();
        DriftReport after = drift.report(Optional.empty(), 100);
        assertThat(after.nodes()).extracting(NodeDrift::name).containsExactly("drift-2", "drift-3");
        assertThat(after.counts()).containsEntry("wallet_process", 0L).containsEntry("ports_process", 0L);
    }

    @Test
    void anUnknownKindOrLimitIsRefused() {
        given().when().get("/api/v1/drift?kind=password").then().statusCode(400)
                .body("type", equalTo("urn:popfleet:problem:unknown-drift-kind"));
        given().when().get("/api/v1/drift?limit=0").then().statusCode(400)
                .body("type", equalTo("urn:popfleet:problem:invalid-paging"));
        given().when().get("/drift?kind=password").then().statusCode(400);
    }

    private OperationCall call(DriftFix fix) {
        Map<String, String> options = new HashMap<>(fix.options());
        return catalog.call(fix.operation(), fix.arguments(), options);
    }

    private void mend(String node, DriftFix fix) {
        Run run = planner.plan(call(fix), NodeSelection.named(List.of(node)), "test");
        assertThat(RunWaits.finished(runs, run.id)).as(fix.command()).isFinished().hasCounts(1, 0);
    }

    private void poll() {
        assertThat(RunWaits.finished(runs, poller.pollNow().orElseThrow().id)).isFinished();
    }

    private static int pop(int index, String... arguments) throws IOException, InterruptedException {
        return SimulatedNodes.pop(FLEET.node(index), arguments);
    }

    private static String configWallet(FleetNode node) {
        try {
            return Files.readAllLines(node.home().resolve("etc/pop/node.conf")).stream()
                    .filter(line -> line.startsWith("PUBKEY=")).map(line -> line.substring(7)).findFirst()
                    .orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
