package io.popfleet.demo;

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
import static org.hamcrest.Matchers.equalTo;

/** The controller started with a demo fleet serves, imports and polls its simulated nodes over real SSH. */
@QuarkusTest
// Not a security test: every request acts as an admin (RoleHierarchy adds operator and viewer, as in prod).
@TestSecurity(user = "test-admin", roles = Roles.ADMIN, augmentors = RoleHierarchy.class)
@TestProfile(DemoFleetTest.ThreeDemoNodes.class)
class DemoFleetTest {

    /** Three demo nodes on an unusual port, so they do not meet other tests' servers. */
    public static class ThreeDemoNodes implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("popfleet.demo.nodes", "3", "popfleet.demo.port", "22922");
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

    @Test
    void theDemoItselfTurnsTheExecutorsLoopbackOnlySettingOn() {
        // Tests turn it on too; the source shows that the demo's setting is the one in force.
        assertThat(runsConfig.loopbackOnly()).isTrue();
        assertThat(config.getConfigValue("popfleet.runs.loopback-only").getSourceName())
                .contains(DemoLoopbackOnly.NAME);
    }
}
