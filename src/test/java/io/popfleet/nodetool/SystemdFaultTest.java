package io.popfleet.nodetool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The simulator's systemd faults, seen through the tool's real systemd code path (the node's fake systemctl),
 * and the first registration and uninstall of a node.
 */
class SystemdFaultTest extends SimulatedNodeTest {

    private void fault(String name) {
        assertThat(PopTool.sim("fault", node.toString(), name).exitCode()).isZero();
    }

    private JsonNode check(String name) {
        PopTool.Result r = pop().run("--json", "check");
        NodeJsonSchema.assertValid(r);
        for (JsonNode c : r.data().get("checks")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        return null;
    }

    @Test
    void aFailedDaemonReloadFailsConfigureAndSetWallet() throws Exception {
        fault("daemon-reload-fails");
        PopTool.Result configure = pop().run("--json", "configure", "ram=3");
        NodeJsonSchema.assertValid(configure);
        assertThat(configure.exitCode()).isEqualTo(4);
        assertThat(configure.json().at("/error/code").asText()).isEqualTo("service_failed");
        assertThat(configure.json().at("/error/message").asText()).contains("daemon-reload", "Access denied");
        PopTool.Result wallet = pop().run("--json", "set-wallet", EveryCommandTest.WALLET);
        assertThat(wallet.exitCode()).isEqualTo(4);
        PopTool.Result ports = pop().run("--json", "enable-80-443");
        assertThat(ports.exitCode()).isEqualTo(4);
    }

    @Test
    void theAutoRestartLoopShowsAsActivatingWithGrowingRestarts() {
        fault("auto-restart-loop");
        assertThat(pop().run("start").exitCode()).isZero();
        JsonNode service = pop().run("--json", "status").data().get("service");
        assertThat(service.get("state").asText()).isEqualTo("activating");
        assertThat(service.get("healthy").asBoolean()).isFalse();
        int first = service.get("restarts").asInt();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> assertThat(
                pop().run("--json", "status").data().at("/service/restarts").asInt()).isGreaterThan(first));
        PopTool.Result waited = pop().run("--json", "restart", "--wait", "2");
        assertThat(waited.json().at("/error/code").asText()).isEqualTo("timeout");
    }

    @Test
    void aLowOpenFileLimitFailsTheCheck() {
        assertThat(check("ulimit-nofile").get("status").asText()).isEqualTo("pass");
        fault("low-nofile");
        JsonNode nofile = check("ulimit-nofile");
        assertThat(nofile.get("status").asText()).isEqualTo("fail");
        assertThat(nofile.get("detail").asText()).contains("1024", "LimitNOFILE=65536");
    }

    @Test
    void withoutTheCapabilityTheNodeCannotBindPorts80And443() {
        fault("no-capability");
        // The fault takes effect when systemd loads the unit again, as a capability dropped by an edit would.
        assertThat(pop().run("--json", "configure", "node_name=cap-test").exitCode()).isZero();
        assertThat(check("privilege-80-443").get("status").asText()).isEqualTo("warn");
        PopTool.Result start = pop().run("--json", "start");
        assertThat(start.exitCode()).isEqualTo(4);
        assertThat(start.json().at("/data/log_tail").toString()).contains("PermissionDenied");
    }

    @Test
    void aUnitEditedWithoutDaemonReloadIsAWarningUntilTheNextReload() {
        assertThat(check("unit-reload")).isNull();
        fault("unit-edited");
        assertThat(check("unit-reload").get("status").asText()).isEqualTo("warn");
        assertThat(pop().run("configure", "node_name=reloaded").exitCode()).isZero();
        assertThat(check("unit-reload")).isNull();
    }

    @Test
    void registerWritesTheIdentityOfANewNodeOnceAndRefusesASecondTime() throws Exception {
        Path fresh = temp.resolve("fresh");
        PopTool.initNode(fresh, 777, "--unregistered");
        try {
            PopTool tool = PopTool.tree().on(fresh).home(home);
            assertThat(Files.exists(fresh.resolve("var/lib/pop/node_info.json"))).isFalse();
            PopTool.Result register = tool.run("--json", "register", "--referral", "0123456789abcdef", "--wait", "20");
            JsonNode data = NodeJsonSchema.assertValid(register).get("data");
            assertThat(register.exitCode()).as("%s", register).isZero();
            assertThat(data.get("referral_signed_up").asBoolean()).isTrue();
            String nodeId = data.get("node_id").asText();
            assertThat(Files.readString(fresh.resolve("var/lib/pop/node_info.json"))).contains(nodeId);
            assertThat(tool.run("--json", "status").data().get("node_id").asText()).isEqualTo(nodeId);
            PopTool.Result again = tool.run("--json", "register");
            assertThat(again.exitCode()).isEqualTo(11);
            assertThat(again.json().at("/data/node_id").asText()).isEqualTo(nodeId);
        } finally {
            PopTool.killNode(fresh);
        }
    }

    @Test
    void uninstallNeedsKeepIdentityAndKeepsIt() throws Exception {
        assertThat(pop().run("--json", "uninstall").exitCode()).isEqualTo(2);
        String identity = Files.readString(node.resolve("var/lib/pop/node_info.json"));
        PopTool.Result dry = pop().run("--json", "uninstall", "--keep-identity", "--dry-run");
        NodeJsonSchema.assertValid(dry);
        assertThat(node.resolve("opt/pop/pop")).exists();
        PopTool.Result gone = pop().run("--json", "uninstall", "--keep-identity");
        JsonNode data = NodeJsonSchema.assertValid(gone).get("data");
        assertThat(data.get("identity").asText()).isEqualTo("present");
        assertThat(node.resolve("opt/pop/pop")).doesNotExist();
        assertThat(node.resolve("etc/systemd/system/pop.service.d/popfleet.conf")).doesNotExist();
        assertThat(Files.readString(node.resolve("var/lib/pop/node_info.json"))).isEqualTo(identity);
        assertThat(node.resolve("etc/pop/node.conf")).exists();
    }
}
