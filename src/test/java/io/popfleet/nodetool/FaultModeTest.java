package io.popfleet.nodetool;

import java.nio.file.Files;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Every fault the simulator can inject, as an operator (or the controller) would meet it. */
class FaultModeTest extends SimulatedNodeTest {

    private void fault(String... nameAndValue) {
        String[] args = new String[nameAndValue.length + 2];
        args[0] = "fault";
        args[1] = node.toString();
        System.arraycopy(nameAndValue, 0, args, 2, nameAndValue.length);
        assertThat(PopTool.sim(args).exitCode()).isZero();
    }

    @Test
    void crashOnStartMakesStartFailWithTheLastLogLines() {
        fault("crash-on-start");
        PopTool.Result r = pop().run("--json", "start");
        JsonNode json = NodeJsonSchema.assertValid(r);
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(json.at("/error/code").asText()).isEqualTo("service_failed");
        assertThat(json.at("/data/log_tail").toString()).contains("status=1/FAILURE");
        assertThat(pop().run("--json", "status").data().at("/service/state").asText()).isEqualTo("failed");
    }

    @ParameterizedTest
    @ValueSource(ints = {8003, 80, 443})
    void aTakenPortIsAConflictAndTheServiceCannotStart(int port) {
        fault("port-" + port + "-taken");
        JsonNode ports = NodeJsonSchema.assertValid(pop().run("--json", "ports")).get("data");
        assertThat(ports.get("conflicts").asInt()).isEqualTo(1);
        PopTool.Result start = pop().run("--json", "start");
        assertThat(start.exitCode()).isEqualTo(4);
        assertThat(start.data().get("log_tail").toString()).contains("AddrInUse");
        PopTool.Result check = pop().run("check");
        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(check.stdout()).containsPattern("fail +port-" + port + " +in use by (dcdnd|nginx)");
    }

    @Test
    void aFullDiskFailsCheckAndRefusesBackupAndUpdate() throws Exception {
        fault("disk-full");
        assertThat(pop().run("check").stdout()).containsPattern("fail +disk +disk full");
        PopTool.Result backup = pop().run("--json", "backup");
        NodeJsonSchema.assertValid(backup);
        assertThat(backup.exitCode()).isEqualTo(9);
        byte[] before = Files.readAllBytes(node.resolve("opt/pop/pop"));
        PopTool.sim("make-binary", temp.resolve("new").toString(), "--version", "0.2.9");
        PopTool.Result update = pop().run("--json", "update", "--file", temp.resolve("new").toString(), "--sha256",
                UpdateTest.sha256(temp.resolve("new")));
        NodeJsonSchema.assertValid(update);
        assertThat(update.json().at("/error/code").asText()).isEqualTo("no_space");
        assertThat(Files.readAllBytes(node.resolve("opt/pop/pop"))).isEqualTo(before);
    }

    @Test
    void aMissingIdentityIsReportedAndBlocksBackupAndStart() {
        fault("identity-missing");
        JsonNode status = NodeJsonSchema.assertValid(pop().run("--json", "status")).get("data");
        assertThat(status.at("/identity/state").asText()).isEqualTo("missing");
        assertThat(status.get("node_id").isNull()).isTrue();
        assertThat(pop().run("check").stdout()).containsPattern("fail +identity .*missing");
        assertThat(pop().run("--json", "backup").exitCode()).isEqualTo(3);
        PopTool.Result start = pop().run("--json", "start");
        assertThat(start.exitCode()).isEqualTo(4);
        assertThat(start.data().get("log_tail").toString()).contains("already associated");
        JsonNode health = NodeJsonSchema.assertValid(pop().run("--json", "health")).get("data");
        assertThat(health.get("healthy").asBoolean()).isFalse();
        assertThat(health.get("problems").toString()).contains("identity missing");
    }

    @Test
    void aCorruptIdentityIsReportedAndClearingTheFaultRestoresIt() {
        String id = pop().run("--json", "status").data().get("node_id").asText();
        fault("identity-corrupt");
        JsonNode status = NodeJsonSchema.assertValid(pop().run("--json", "status")).get("data");
        assertThat(status.at("/identity/state").asText()).isEqualTo("corrupt");
        assertThat(pop().run("--json", "start").exitCode()).isEqualTo(4);
        PopTool.sim("clear", node.toString());
        assertThat(pop().run("--json", "status").data().get("node_id").asText()).isEqualTo(id);
        assertThat(pop().run("--json", "start").exitCode()).isZero();
    }

    @Test
    void theLatencyFaultsAreTheLoginsNotTheTools() {
        // The test SSH servers act these out (SshLatencyFaultTest); the shipped tool has no hook that waits on them.
        fault("hung-command", "600");
        fault("slow-command", "120");
        PopTool.Result r = pop().timeout(Duration.ofSeconds(30)).run("--json", "health");
        assertThat(r.timedOut()).as("pop run directly ignores the login's latency faults").isFalse();
        NodeJsonSchema.assertValid(r);
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void diskAndMemoryAreReadThroughDfAndMeminfoAsOnAHost() throws Exception {
        JsonNode before = NodeJsonSchema.assertValid(pop().run("--json", "status")).get("data");
        String sim = Files.readString(node.resolve("var/lib/pop-sim/node.sim"));
        long diskTotal = Long.parseLong(sim.replaceAll("(?s).*\\bDISK_TOTAL=([0-9]+).*", "$1"));
        long diskUsed = Long.parseLong(sim.replaceAll("(?s).*\\bDISK_USED=([0-9]+).*", "$1"));
        assertThat(before.at("/disk/total_bytes").asLong()).as("the node's df").isEqualTo(diskTotal);
        assertThat(before.at("/disk/free_bytes").asLong()).isEqualTo(diskTotal - diskUsed);

        Files.writeString(node.resolve("proc/meminfo"),
                "MemTotal:        3000000 kB\nMemFree:          100000 kB\nMemAvailable:     250000 kB\n");
        JsonNode after = NodeJsonSchema.assertValid(pop().run("--json", "status")).get("data");
        assertThat(after.at("/memory/total_bytes").asLong()).isEqualTo(3_000_000L * 1024);
        assertThat(after.at("/memory/available_bytes").asLong()).isEqualTo(250_000L * 1024);
        PopTool.Result ram = pop().run("--json", "configure", "ram=4");
        assertThat(ram.exitCode()).as("4 GB is more than the 3 GB meminfo shows: %s", ram).isEqualTo(2);
        assertThat(ram.json().at("/error/message").asText()).contains("more than the host's");
    }

    @Test
    void anExpiredAuthIsShownBlocksPipeCallsAndRefreshRenewsIt() {
        fault("auth-expired");
        assertThat(pop().run("--json", "status").data().get("auth").asText()).isEqualTo("expired");
        assertThat(pop().run("--json", "auth").data().get("pipe_token").asText()).isEqualTo("expired");
        PopTool.Result referral = pop().run("--json", "gen-referral-route");
        NodeJsonSchema.assertValid(referral);
        assertThat(referral.exitCode()).isEqualTo(8);
        assertThat(referral.json().at("/error/code").asText()).isEqualTo("auth_expired");
        assertThat(pop().run("refresh").exitCode()).isZero();
        assertThat(pop().run("--json", "status").data().get("auth").asText()).isEqualTo("ok");
        assertThat(pop().run("--json", "gen-referral-route").exitCode()).isZero();
    }

    @Test
    void clearingEveryFaultMakesTheNodeHealthyAgain() {
        fault("crash-on-start");
        fault("port-80-taken");
        fault("disk-full");
        assertThat(PopTool.sim("faults", node.toString()).stdout()).contains("disk-full              on");
        PopTool.sim("clear", node.toString());
        assertThat(pop().run("start", "--wait", "5").exitCode()).isZero();
        assertThat(pop().run("--json", "health").data().get("healthy").asBoolean()).isTrue();
        assertThat(pop().run("check").exitCode()).isZero();
    }
}
