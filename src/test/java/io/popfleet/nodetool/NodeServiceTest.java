package io.popfleet.nodetool;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The simulated service behaves like a real one; the systemd backend drives systemctl; optional tools stay optional. */
class NodeServiceTest extends SimulatedNodeTest {

    @Test
    void startMakesOneVisibleProcessAndStopEndsIt() throws Exception {
        assertThat(pop().run("start").exitCode()).isZero();
        long pid = pop().run("--json", "status").data().at("/service/pid").asLong();
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        assertThat(process).isPresent();
        assertThat(process.get().isAlive()).isTrue();
        // What ps shows: argv[0] is the node binary's path (the process itself is one small `sleep`).
        String cmdline = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8);
        assertThat(cmdline).startsWith(node.resolve("opt/pop/pop").toString());
        assertThat(pop().run("start").exitCode()).as("starting a running service is fine").isZero();
        assertThat(pop().run("stop").exitCode()).isZero();
        assertThat(running(pid)).as("the service's process has exited").isFalse();
        assertThat(pop().run("--json", "status").data().at("/service/state").asText()).isEqualTo("stopped");
    }

    @Test
    void anIdleSimulatedNodeHasNoProcessAndARunningOneExactlyOne() {
        assertThat(processesOf(node)).isZero();
        pop().run("start");
        assertThat(processesOf(node)).isEqualTo(1);
        pop().run("restart");
        assertThat(processesOf(node)).isEqualTo(1);
        pop().run("stop");
        assertThat(processesOf(node)).isZero();
    }

    /**
     * Whether a process still runs. An exited service process is reparented and, where PID 1 does not reap (a
     * container's init), stays a zombie that {@link ProcessHandle#isAlive()} still counts as alive.
     */
    private static boolean running(long pid) throws IOException {
        String text;
        try {
            text = Files.readString(Path.of("/proc/" + pid + "/stat"));
        } catch (NoSuchFileException gone) {
            return false;
        }
        return !text.substring(text.lastIndexOf(')') + 2).startsWith("Z");
    }

    private static long processesOf(Path node) {
        String prefix = node.toString() + "/";
        return ProcessHandle.allProcesses().filter(p -> {
            try {
                return new String(Files.readAllBytes(Path.of("/proc/" + p.pid() + "/cmdline")), StandardCharsets.UTF_8)
                        .startsWith(prefix);
            } catch (Exception e) {
                return false;
            }
        }).count();
    }

    @Test
    void humanOutputIsColouredOnlyOnATerminalAndNoColorTurnsItOff() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "script(1) not installed");
        String command = "bash " + PopTool.scriptsDir().resolve("pop") + " status";
        Map<String, String> env = new java.util.HashMap<>(Map.of("PATH", PopTool.DEFAULT_PATH, "POP_ROOT",
                node.toString(), "HOME", home.toString(), "TERM", "xterm"));
        PopTool.Result tty = PopTool.exec(List.of("script", "-qec", command, "/dev/null"), env, Duration.ofSeconds(30));
        assertThat(tty.stdout()).contains("\u001b[");
        env.put("NO_COLOR", "1");
        PopTool.Result plain = PopTool.exec(List.of("script", "-qec", command, "/dev/null"), env, Duration.ofSeconds(30));
        assertThat(plain.stdout()).contains("Reputation").doesNotContain("\u001b[");
        assertThat(pop().env("TERM", "xterm").run("status").stdout()).doesNotContain("\u001b[");
    }

    @Test
    void pulseRedrawsOnATerminalForTheRequestedFrames() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "script(1) not installed");
        String command = "bash " + PopTool.scriptsDir().resolve("pop") + " pulse --count 2 --interval 1";
        Map<String, String> env = Map.of("PATH", PopTool.DEFAULT_PATH, "POP_ROOT", node.toString(), "HOME",
                home.toString(), "TERM", "xterm");
        PopTool.Result r = PopTool.exec(List.of("script", "-qec", command, "/dev/null"), env, Duration.ofSeconds(30));
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.stdout().split("pop pulse", -1)).hasSize(3);
        assertThat(r.stdout()).contains("\u001b[H\u001b[2J", "last 24h");
    }

    @Test
    void logsGrowAndUptimeCountsWhileTheServiceRuns() throws Exception {
        Path sim = node.resolve("var/lib/pop-sim/node.sim");
        Files.writeString(sim, Files.readString(sim).replace("REPORT_INTERVAL=300", "REPORT_INTERVAL=1"));
        pop().run("start");
        int before = pop().run("--json", "logs", "--lines", "1000").data().get("count").asInt();
        // The service reports every second: wait for two more lines with a report among them, and for two seconds
        // of uptime.
        await("two more log lines").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    JsonNode logs = pop().run("--json", "logs", "--lines", "1000").data();
                    assertThat(logs.get("count").asInt()).isGreaterThanOrEqualTo(before + 2);
                    assertThat(logs.get("lines").toString()).contains("Health report sent");
                });
        await("two seconds of uptime").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(pop().run("--json", "status").data().at("/service/uptime_seconds")
                        .asInt()).isGreaterThanOrEqualTo(2));
        assertThat(pop().run("logs", "--since", "1m").stdout()).contains("Starting Pipe PoP node");
    }

    @Test
    void restartCountsRestartsAndCollectAddsAHistorySample() {
        pop().run("start");
        pop().run("restart");
        assertThat(pop().run("--json", "status").data().at("/service/restarts").asInt()).isEqualTo(1);
        int before = pop().run("--json", "history", "--limit", "1000").data().get("count").asInt();
        PopTool.Result collect = pop().run("--json", "collect");
        NodeJsonSchema.assertValid(collect);
        assertThat(collect.data().at("/sample/service").asText()).isEqualTo("running");
        assertThat(pop().run("--json", "history", "--limit", "1000").data().get("count").asInt()).isEqualTo(before + 1);
    }

    @Test
    void theSystemdBackendDrivesTheConfiguredUnitThroughSystemctl() throws Exception {
        Path bin = temp.resolve("stubs");
        Files.createDirectories(bin);
        Path calls = temp.resolve("calls");
        Path systemctl = bin.resolve("systemctl");
        Files.writeString(systemctl, """
                #!/bin/bash
                printf '%%s\\n' "$*" >>%s
                if [[ "$1" == show ]]; then printf 'ActiveState=active\\nMainPID=4242\\nNRestarts=3\\nActiveEnterTimestamp=\\n'; fi
                exit 0
                """.formatted(calls));
        Files.setPosixFilePermissions(systemctl, PosixFilePermissions.fromString("rwxr-xr-x"));
        PopTool systemd = pop().env("POP_SERVICE_MANAGER", "systemd").env("POP_UNIT", "pipe-pop.service")
                .path(bin + ":" + PopTool.DEFAULT_PATH);
        assertThat(systemd.run("start").exitCode()).isZero();
        assertThat(systemd.run("stop").exitCode()).isZero();
        JsonNode status = NodeJsonSchema.assertValid(systemd.run("--json", "status")).get("data");
        assertThat(status.at("/service/state").asText()).isEqualTo("running");
        assertThat(status.at("/service/restarts").asInt()).isEqualTo(3);
        systemd.run("set-wallet", EveryCommandTest.WALLET);
        String log = Files.readString(calls);
        assertThat(log).contains("start pipe-pop.service", "stop pipe-pop.service", "daemon-reload");
        String dropIn = Files.readString(node.resolve("etc/systemd/system/pipe-pop.service.d/popfleet.conf"));
        assertThat(dropIn).contains("ExecStart=/opt/pop/pop --ram", "--pubKey " + EveryCommandTest.WALLET,
                "AmbientCapabilities=CAP_NET_BIND_SERVICE");
    }

    @Test
    void theToolWorksWithoutJqCurlAndOpensslAndSaysWhatIsMissing() throws Exception {
        Path bin = temp.resolve("bin-without-jq-curl");
        Files.createDirectories(bin);
        for (String dir : List.of("/usr/bin", "/bin")) {
            try (var files = Files.list(Path.of(dir))) {
                for (Path f : files.toList()) {
                    String name = f.getFileName().toString();
                    if (!List.of("jq", "curl", "openssl").contains(name) && !Files.exists(bin.resolve(name))) {
                        Files.createSymbolicLink(bin.resolve(name), f);
                    }
                }
            }
        }
        try {
            runsWithoutJqAndCurl(pop().path(bin.toString()).env("POP_RANKING_URL", "http://127.0.0.1:9/rank"));
        } finally {
            try (var links = Files.list(bin)) {
                for (Path link : links.toList()) {
                    Files.delete(link);
                }
            }
        }
    }

    private void runsWithoutJqAndCurl(PopTool bare) {
        assertThat(NodeJsonSchema.assertValid(bare.run("--json", "status")).get("ok").asBoolean()).isTrue();
        assertThat(bare.run("check").stdout()).containsPattern("warn +optional-tools +not installed: curl jq openssl");
        PopTool.Result encrypted = bare.env("POP_BACKUP_PASSPHRASE", "pw").run("--json", "backup", "--encrypt");
        NodeJsonSchema.assertValid(encrypted);
        assertThat(encrypted.exitCode()).isEqualTo(7);
        assertThat(encrypted.json().at("/error/message").asText()).contains("openssl", "not installed");
        assertThat(node.resolve("var/backups/pop")).isEmptyDirectory();
        JsonNode board = NodeJsonSchema.assertValid(bare.run("--json", "leaderboard")).get("data");
        assertThat(board.at("/ranking_source/error").asText()).contains("curl is not installed");
        PopTool.Result update = bare.run("--json", "update", "--url", "http://127.0.0.1:9/pop", "--sha256", "a".repeat(64));
        NodeJsonSchema.assertValid(update);
        assertThat(update.exitCode()).isEqualTo(7);
        assertThat(update.json().at("/error/code").asText()).isEqualTo("missing_dependency");
    }

    @Test
    void debugTracesToStderrWithFileAndLineAndKeepsStdoutClean() {
        PopTool.Result r = pop().run("--debug", "--json", "version");
        NodeJsonSchema.assertValid(r);
        assertThat(r.stderr()).containsPattern("\\+ [0-9a-z-]+(\\.sh)?:[0-9]+:");
    }

    @Test
    void theLeaderboardShowsTheRankFromALoopbackRankingSourceLabelledSimulated() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl not installed");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/rank", ex -> {
            byte[] body = "{\"rank\":12,\"total\":340,\"simulated\":true}".getBytes(StandardCharsets.UTF_8);
            assertThat(ex.getRequestURI().getQuery()).startsWith("node_id=");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            PopTool ranked = pop().env("POP_RANKING_URL", "http://127.0.0.1:" + server.getAddress().getPort() + "/rank");
            JsonNode data = NodeJsonSchema.assertValid(ranked.run("--json", "leaderboard")).get("data");
            assertThat(data.at("/ranking_source/rank").asInt()).isEqualTo(12);
            assertThat(data.at("/ranking_source/simulated").asBoolean()).isTrue();
            assertThat(ranked.run("leaderboard").stdout()).contains("#12 of 340").contains("simulated");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theDashboardExportIsASelfContainedPage() throws Exception {
        pop().run("start");
        Path page = temp.resolve("report.html");
        PopTool.Result r = pop().run("--json", "dashboard", "--export", page.toString());
        NodeJsonSchema.assertValid(r);
        String html = Files.readString(page);
        String id = pop().run("--json", "status").data().get("node_id").asText();
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<style>", id, "Hourly reports", "<svg")
                .doesNotContainPattern("(src|href)=\"?https?:").doesNotContain("<script");
    }

    @Test
    void authRotatesKeysButNeverRemovesTheLastOne() throws Exception {
        String key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl rotated";
        PopTool.Result add = pop().run("--json", "auth", "add-key", key);
        NodeJsonSchema.assertValid(add);
        assertThat(add.data().get("added").asBoolean()).isTrue();
        assertThat(pop().run("--json", "auth", "add-key", key).data().get("added").asBoolean()).isFalse();
        JsonNode keys = pop().run("--json", "auth").data().get("keys");
        assertThat(keys).hasSize(2);
        String old = keys.get(0).get("fingerprint").asText();
        String rotated = keys.get(1).get("fingerprint").asText();
        assertThat(pop().run("--json", "auth", "remove-key", old).exitCode()).isZero();
        PopTool.Result last = pop().run("--json", "auth", "remove-key", rotated);
        NodeJsonSchema.assertValid(last);
        assertThat(last.exitCode()).isEqualTo(11);
        assertThat(last.json().at("/error/code").asText()).isEqualTo("last_key");
        assertThat(Files.readString(node.resolve("home/pop-svc-user/.ssh/authorized_keys"))).contains("rotated");
        assertThat(pop().run("auth").stdout()).doesNotContain("AAAAC3NzaC1lZDI1NTE5AAAAIOMqq");
    }
}
