package io.popfleet.inventory;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;

import io.popfleet.runs.NodeSelection;
import io.popfleet.runs.Run;
import io.popfleet.runs.RunPlanner;
import io.popfleet.runs.RunService;
import io.popfleet.runs.TargetView;
import io.popfleet.security.RoleHierarchy;
import io.popfleet.security.Roles;
import io.popfleet.testing.Fault;
import io.popfleet.testing.FleetRegistration;
import io.popfleet.testing.Inventory;
import io.popfleet.testing.RunWaits;
import io.popfleet.testing.SshTestFleet;

import static io.popfleet.testing.NodeBuilder.aNode;
import static io.popfleet.testing.RunRequests.read;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * A node behind a jump host: reached through the bastion's SSH session (a bastion that refuses connections takes
 * the node with it, a node beside it is untouched), and an inventory that cannot lose the bastion its nodes need.
 */
@QuarkusTest
@TestSecurity(user = "test-admin", roles = Roles.ADMIN, augmentors = RoleHierarchy.class)
class JumpHostTest {

    private static final String CREDENTIAL = "JumpHostTest";

    @RegisterExtension
    static final SshTestFleet FLEET = SshTestFleet.ofSize(3);

    @Inject
    FleetRegistration registration;

    @Inject
    RunPlanner planner;

    @Inject
    RunService runs;

    @Inject
    NodeService nodes;

    private List<Long> ids;

    @BeforeEach
    void bastionAndTwoNodes() {
        Inventory.clearWithRuns();
        // 0 is the bastion (no PoP node: disabled, so runs leave it alone), 1 is behind it, 2 is reached directly.
        ids = registration.register(FLEET, CREDENTIAL, 300, node -> switch (node.index()) {
            case 0 -> aNode().named("jump-bastion").disabled();
            case 1 -> aNode().named("jump-behind").through("jump-bastion");
            default -> aNode().named("jump-direct");
        });
    }

    @AfterEach
    void clear() {
        FLEET.clear(0, Fault.REFUSE_CONNECTION);
        runs.list(0, 50).forEach(run -> RunWaits.finished(runs, run.id()));
        Inventory.clear();
    }

    @Test
    void aNodeBehindAJumpHostIsReachedThroughItAndOnlyThroughIt() {
        FLEET.inject(0, Fault.REFUSE_CONNECTION);
        Map<String, TargetView> refused = version();
        assertThat(refused.get("jump-behind").state()).as("the bastion refuses: %s", refused)
                .isEqualTo("failed");
        assertThat(refused.get("jump-behind").failureKind()).isEqualTo("unreachable");
        assertThat(refused.get("jump-direct").state()).isEqualTo("ok");

        FLEET.clear(0, Fault.REFUSE_CONNECTION);
        Map<String, TargetView> through = version();
        assertThat(through.get("jump-behind").state()).as("%s", through).isEqualTo("ok");
        assertThat(String.valueOf(through.get("jump-behind").data())).contains("0.2.8");
        assertThat(nodes.getByName("jump-behind").orElseThrow().jump()).isEqualTo("jump-bastion");
    }

    @Test
    void theInventoryKeepsEveryJumpHostItsNodesGoThrough() {
        long bastion = ids.get(0);
        given().when().delete("/api/v1/nodes/" + bastion).then().statusCode(409)
                .body("type", equalTo("urn:popfleet:problem:jump-host-missing"));
        assertThat(nodes.get(bastion)).as("still there").isPresent();

        NodeView held = nodes.get(bastion).orElseThrow();
        given().contentType(ContentType.JSON).body(Map.of("name", "renamed-bastion", "host", held.host(),
                "sshPort", held.sshPort(), "sshUser", held.sshUser(), "credentialRef", held.credentialRef(),
                "enabled", false)).when().put("/api/v1/nodes/" + bastion).then().statusCode(409)
                .body("type", equalTo("urn:popfleet:problem:jump-host-missing"));
        assertThat(nodes.get(bastion).orElseThrow().name()).isEqualTo("jump-bastion");

        given().contentType(ContentType.JSON).body(Map.of("name", "jump-new", "host", "127.0.0.99", "jump",
                "no-such-bastion")).when().post("/api/v1/nodes").then().statusCode(409)
                .body("detail", org.hamcrest.Matchers.containsString("no-such-bastion"));
        given().contentType(ContentType.JSON).body(Map.of("name", "jump-chain", "host", "127.0.0.98", "jump",
                "jump-behind")).when().post("/api/v1/nodes").then().statusCode(409)
                .body("detail", org.hamcrest.Matchers.containsString("one hop"));
        assertThat(nodes.getByName("jump-new")).isEmpty();
        assertThat(nodes.getByName("jump-chain")).isEmpty();
    }

    /** A {@code version} run over the two PoP nodes; each target by node name. */
    private Map<String, TargetView> version() {
        Run run = planner.plan(read("version"), NodeSelection.named(List.of("jump-behind", "jump-direct")), "test");
        RunWaits.finished(runs, run.id, Duration.ofSeconds(60));
        return runs.targets(run.id, null, 0, 10).stream()
                .collect(java.util.stream.Collectors.toMap(TargetView::nodeName, target -> target));
    }
}
