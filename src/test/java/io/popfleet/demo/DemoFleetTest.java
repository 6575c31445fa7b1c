package io.popfleet.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import io.smallrye.config.SmallRyeConfig;

import io.popfleet.metrics.MetricsService;
import io.popfleet.runs.RunService;
import io.popfleet.runs.RunView;
import io.popfleet.runs.RunsConfig;
import io.popfleet.security.RoleHierarchy;
import io.popfleet.security.Roles;
import io.popfleet.testing.RunWaits;

import static io.popfleet.testing.FleetAssertions.assertThat;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

/** The controller started with a demo fleet serves, imports and polls its simulated nodes over real SSH. */
@QuarkusTest
// Not a security test: every request acts as an admin (RoleHierarchy adds operator and viewer, as in prod).
@TestSecurity(user = "test-admin", roles = Roles.ADMIN, augmentors = RoleHierarchy.class)
@TestProfile(DemoFleetTest.ThreeDemoNodes.class)
class DemoFleetTest {

    /** The demo's nodes keep their state across starts: each test JVM starts from new ones. */
    private static final Path DATA = Path.of("target", "demo-fleet-test-" + ProcessHandle.current().pid())
            .toAbsolutePath();

    /** Three demo nodes on an unusual port, so they do not meet other tests' servers. */
    public static class ThreeDemoNodes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("popfleet.demo.nodes", "3", "popfleet.demo.port", "22922", "popfleet.data-dir",
                    DATA.toString());
        }
    }

    @Inject
    RunService runs;

    @Inject
    MetricsService metrics;

    @Inject
    RunsConfig runsConfig;

    @Inject
    SmallRyeConfig config;

    @Test
    void demoNodesAreInTheInventoryPinnedAndPolledOverSsh() throws Exception {
        given().when().get("/api/v1/nodes?group=demo").then().statusCode(200).body("total", equalTo(3))
                .body("items[0].host", equalTo("127.0.0.2")).body("items[0].sshPort", equalTo(22922));
        RunView poll = runs.list(0, 10).stream().filter(r -> r.startedBy().equals("monitor")).findFirst()
                .orElseThrow();
        assertThat(RunWaits.finished(runs, poll.id())).as(() -> runs.targets(poll.id(), null, 0, 10).toString())
                .isFinished().hasCounts(3, 0);
        assertThat(metrics.summary().state("up")).isEqualTo(3);
        given().when().get("/api/v1/ssh/host-keys").then().statusCode(200);
        assertThat(List.of("demo-001", "demo-002", "demo-003")).allSatisfy(name -> given().when()
                .get("/api/v1/nodes?q=" + name).then().body("total", equalTo(1)));
    }

    /**
     * The README's rollout: the demo registered its release 0.2.8 (the simulated binary its nodes run), and a
     * rollout of the group {@code demo} brings the node on 0.2.7 up to it through the real node tool, over SSH,
     * skipping the two already on 0.2.8. The verdict is the node's own binary.
     */
    @Test
    void aRolloutOfTheDemoGroupBringsItsNodeOnThePreviousReleaseUpTo028() throws IOException {
        Path binary = DATA.resolve("demo/node-002/opt/pop/pop");
        assertThat(Files.readString(binary)).contains("STUB_VERSION=\"0.2.7\"");
        given().when().get("/api/v1/releases").then().statusCode(200).body("version", hasItem("0.2.8"));
        // the start's poll has read every node's version (the preview skips the nodes already on 0.2.8)
        RunView poll = runs.list(0, 10).stream().filter(r -> r.startedBy().equals("monitor")).findFirst()
                .orElseThrow();
        assertThat(RunWaits.finished(runs, poll.id())).isFinished().hasCounts(3, 0);

        String request = "{\"version\":\"0.2.8\",\"groups\":[\"demo\"]}";
        given().contentType("application/json").body(request).when().post("/api/v1/rollouts/preview").then()
                .statusCode(200).body("eligible", equalTo(1)).body("batches[0].nodes", contains("demo-002"))
                .body("skipped.node", containsInAnyOrder("demo-001", "demo-003"))
                .body("skipped.reason", everyItem(equalTo("on-target")));
        int id = given().contentType("application/json").body(request).when().post("/api/v1/rollouts").then()
                .statusCode(201).extract().path("id");
        await().atMost(Duration.ofSeconds(90)).until(() -> given().when().get("/api/v1/rollouts/" + id).then()
                .extract().path("finishedAt"), notNullValue());

        given().when().get("/api/v1/rollouts/" + id).then().body("state", equalTo("finished"))
                .body("failures", equalTo(0));
        given().when().get("/api/v1/rollouts/" + id + "/nodes").then()
                .body("find { it.node == 'demo-002' }.state", equalTo("healthy"))
                .body("find { it.node == 'demo-002' }.previousVersion", equalTo("0.2.7"));
        assertThat(Files.readString(binary)).contains("STUB_VERSION=\"0.2.8\"");
        assertThat(Files.readString(DATA.resolve("demo/node-001/opt/pop/pop"))).contains("STUB_VERSION=\"0.2.8\"");
    }

    @Test
    void theDemoItselfTurnsTheExecutorsLoopbackOnlySettingOn() {
        // Tests turn it on too; the source shows that the demo's setting is the one in force.
        assertThat(runsConfig.loopbackOnly()).isTrue();
        assertThat(config.getConfigValue("popfleet.runs.loopback-only").getSourceName())
                .contains(DemoLoopbackOnly.NAME);
    }
}
