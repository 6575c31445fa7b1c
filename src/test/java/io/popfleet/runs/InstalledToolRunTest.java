package io.popfleet.runs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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

import io.popfleet.api.FailureKind;
import io.popfleet.security.RoleHierarchy;
import io.popfleet.security.Roles;
import io.popfleet.ssh.NodeToolBundle;
import io.popfleet.testing.FleetNode;
import io.popfleet.testing.FleetRegistration;
import io.popfleet.testing.Inventory;
import io.popfleet.testing.RunWaits;
import io.popfleet.testing.SshTestFleet;

import static io.popfleet.runs.TargetState.FAILED;
import static io.popfleet.runs.TargetState.OK;
import static io.popfleet.testing.FleetAssertions.assertThat;
import static io.popfleet.testing.NodeBuilder.aNode;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The installed node tool end to end: an inventory whose group says {@code node_tool: installed} makes runs call the
 * {@code pop} on the node's PATH (the real node tool, installed there by "configuration management"), never upload
 * the bundle, and report that tool's version; a node's own keys win over its group's, and the controller's default
 * (shipped, in tests) over nothing.
 */
@QuarkusTest
@TestSecurity(user = "test-admin", roles = Roles.ADMIN, augmentors = RoleHierarchy.class)
class InstalledToolRunTest {

    private static final String CREDENTIAL = "InstalledToolRunTest";
    /** The installed copy's version: not the bundle's, so the answer shows which tool ran. */
    private static final String OPS_VERSION = "9.9.9-ops";

    @RegisterExtension
    static final SshTestFleet FLEET = SshTestFleet.ofSize(3);

    @Inject
    FleetRegistration registration;

    @Inject
    RunService runs;

    @BeforeEach
    void registerTheFleet() throws Exception {
        Inventory.clearWithRuns();
        registration.register(FLEET, CREDENTIAL, 300, node -> aNode().named("it-" + node.index()));
        installPop(FLEET.node(0));
    }

    @AfterEach
    void leaveNoNodesBehind() {
        Inventory.clear();
    }

    /** The real node tool, as an operator's configuration management would put it on the node's PATH. */
    private static void installPop(FleetNode node) throws Exception {
        String bundle = new String(NodeToolBundle.fromClasspath().orElseThrow().content(), StandardCharsets.UTF_8);
        assertThat(bundle).contains("POP_TOOL_VERSION=\"0.1.0\"");
        Path pop = node.home().resolve("sim/bin/pop");
        Files.writeString(pop, bundle.replace("POP_TOOL_VERSION=\"0.1.0\"", "POP_TOOL_VERSION=\"" + OPS_VERSION + "\""));
        Files.setPosixFilePermissions(pop, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static String node(int index, String extra) {
        FleetNode node = FLEET.node(index);
        return "  - name: it-" + index + "\n    host: " + node.host() + "\n    port: " + node.port()
                + "\n    user: pop\n    credential: " + CREDENTIAL + "\n    groups: [managed]\n" + extra;
    }

    @Test
    void aGroupSetToInstalledRunsThePopOnThePathUploadsNothingAndReportsItsVersion() throws Exception {
        String inventory = "version: 1\ngroups:\n  managed:\n    vars:\n      node_tool: installed\nnodes:\n"
                + node(0, "")
                + node(1, "    node_tool_path: /opt/absent/pop\n")
                + node(2, "    node_tool: shipped\n");
        given().contentType("application/yaml").body(inventory.getBytes(StandardCharsets.UTF_8))
                .when().post("/api/v1/inventory/import/apply").then().statusCode(200);
        int missingId = given().when().get("/api/v1/nodes?q=it-1").then().body("items[0].nodeTool",
                equalTo("installed")).body("items[0].nodeToolPath", equalTo("/opt/absent/pop")).extract().path(
                        "items[0].id");
        given().when().get("/nodes/" + missingId).then().statusCode(200)
                .body(containsString("<dt>Node tool</dt><dd>installed (/opt/absent/pop)</dd>"));

        long id = given().contentType(ContentType.JSON).body(Map.of("operation", "status"))
                .when().post("/api/v1/runs").then().statusCode(201).extract().jsonPath().getLong("id");
        RunWaits.finished(runs, id, Duration.ofSeconds(60));
        List<TargetView> targets = runs.targets(id, null, 0, 10);

        TargetView installed = target(targets, "it-0");
        assertThat(installed).as(installed::toString).hasState(OK).hasDataFields("node_id", "service");
        assertThat(installed.toolVersion()).isEqualTo(OPS_VERSION);
        assertThat(FLEET.node(0).home().resolve(".cache/popfleet")).doesNotExist();

        TargetView missing = target(targets, "it-1");
        assertThat(missing).hasState(FAILED).hasKind(FailureKind.TOOL_MISSING);
        assertThat(missing.failureMessage()).startsWith("no executable node tool at /opt/absent/pop on this node");
        assertThat(FLEET.node(1).home().resolve(".cache/popfleet")).doesNotExist();

        TargetView shipped = target(targets, "it-2");
        assertThat(shipped).as(shipped::toString).hasState(OK).hasDataFields("node_id");
        assertThat(shipped.toolVersion()).isEqualTo("0.1.0");
        assertThat(FLEET.node(2).home().resolve(".cache/popfleet/pop-"
                + NodeToolBundle.fromClasspath().orElseThrow().sha256())).exists();
    }

    @Test
    void aNodeToolPathWithShellSyntaxIsRefusedByTheApiAndTheImporter() {
        given().contentType(ContentType.JSON).body(Map.of("name", "it-bad", "host", "127.0.0.9", "nodeTool",
                "installed", "nodeToolPath", "pop; reboot")).when().post("/api/v1/nodes").then().statusCode(400)
                .body("errors[0].message", containsString("node tool path 'pop; reboot' is neither an absolute path"));
        given().contentType(ContentType.JSON).body(Map.of("name", "it-bad", "host", "127.0.0.9", "nodeTool",
                "uploaded")).when().post("/api/v1/nodes").then().statusCode(400)
                .body("errors[0].message", equalTo("node tool 'uploaded' is neither shipped nor installed"));
        String inventory = "version: 1\ngroups:\n  managed:\n    vars:\n      node_tool_path: $(reboot)\nnodes:\n"
                + node(0, "");
        given().contentType("application/yaml").body(inventory.getBytes(StandardCharsets.UTF_8))
                .when().post("/api/v1/inventory/import/apply").then().statusCode(422)
                .body("errors[0].line", equalTo(5))
                .body("errors[0].message", containsString("node tool path '$(reboot)'"));
        given().when().get("/api/v1/nodes?q=it-bad").then().body("total", equalTo(0));
    }

    private static TargetView target(List<TargetView> targets, String name) {
        return targets.stream().filter(t -> t.nodeName().equals(name)).findFirst().orElseThrow();
    }
}
