package io.popfleet.nodetool;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** `pop update`: verified, atomic, and rolled back at every failure point. */
class UpdateTest extends SimulatedNodeTest {

    static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Path binary() {
        return node.resolve("opt/pop/pop");
    }

    private Path makeBinary(String name, String version, String... mode) {
        Path out = temp.resolve(name);
        String[] args = new String[4 + mode.length];
        args[0] = "make-binary";
        args[1] = out.toString();
        args[2] = "--version";
        args[3] = version;
        System.arraycopy(mode, 0, args, 4, mode.length);
        assertThat(PopTool.sim(args).exitCode()).isZero();
        return out;
    }

    private PopTool.Result update(Path file) {
        PopTool.Result r = pop().run("--json", "update", "--file", file.toString(), "--sha256", sha256(file),
                "--timeout", "2");
        NodeJsonSchema.assertValid(r);
        return r;
    }

    private String installedVersion() {
        return pop().run("--json", "version").data().get("binary_version").asText();
    }

    @Test
    void updateInstallsAVerifiedBinaryAndKeepsThePreviousOne() {
        pop().run("start");
        PopTool.Result r = update(makeBinary("new", "0.2.9"));
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(installedVersion()).isEqualTo("0.2.9");
        assertThat(node.resolve("opt/pop/pop.prev")).exists();
        assertThat(r.data().get("steps").toString()).contains("verify", "stop", "swap", "start", "health");
        assertThat(pop().run("--json", "health").data().get("healthy").asBoolean()).isTrue();
    }

    @Test
    void updateTakesTheBinaryTheControllerShippedByItsSha256() throws Exception {
        pop().run("start");
        Path file = makeBinary("shipped", "0.2.9");
        String sha = sha256(file);
        PopTool.Result missing = pop().run("--json", "update", "--shipped", "--sha256", sha, "--timeout", "2");
        NodeJsonSchema.assertValid(missing);
        assertThat(missing.json().at("/error/code").asText()).as("%s", missing).isEqualTo("not_found");
        assertThat(installedVersion()).isEqualTo("0.2.8");
        Path cache = Files.createDirectories(home.resolve(".cache/popfleet"));
        Files.copy(file, cache.resolve("release-" + sha));
        PopTool.Result r = pop().run("--json", "update", "--shipped", "--sha256", sha, "--version", "0.2.9",
                "--timeout", "2");
        NodeJsonSchema.assertValid(r);
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(installedVersion()).isEqualTo("0.2.9");
        assertThat(pop().run("--json", "update", "--shipped", "--file", file.toString(), "--sha256", sha).exitCode())
                .as("--shipped with another source").isEqualTo(2);
    }

    @Test
    void updateWithBadChecksumKeepsTheOldBinary() throws Exception {
        byte[] before = Files.readAllBytes(binary());
        Path file = makeBinary("new", "0.2.9");
        PopTool.Result r = pop().run("--json", "update", "--file", file.toString(), "--sha256", "0".repeat(64));
        NodeJsonSchema.assertValid(r);
        assertThat(r.exitCode()).isEqualTo(5);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("checksum_mismatch");
        assertThat(Files.readAllBytes(binary())).isEqualTo(before);
        assertThat(node.resolve("opt/pop")).isDirectoryNotContaining("glob:**/.pop.new.*");
    }

    @Test
    void updateWithACorruptBinaryChangesNothing() throws Exception {
        byte[] before = Files.readAllBytes(binary());
        PopTool.Result r = update(makeBinary("bad", "0.2.9", "--corrupt"));
        assertThat(r.json().at("/error/code").asText()).isEqualTo("bad_binary");
        assertThat(Files.readAllBytes(binary())).isEqualTo(before);
    }

    @Test
    void updateWhoseServiceFailsToStartRollsBack() {
        pop().run("start");
        PopTool.Result r = update(makeBinary("crash", "0.2.9", "--crash"));
        assertThat(r.exitCode()).as("%s", r).isEqualTo(10);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("rolled_back");
        assertThat(r.data().get("rolled_back").asBoolean()).isTrue();
        assertThat(installedVersion()).isEqualTo("0.2.8");
        assertThat(pop().run("--json", "health").data().get("healthy").asBoolean()).isTrue();
    }

    @Test
    void updateThatNeverBecomesHealthyRollsBackAfterTheTimeout() {
        pop().run("start");
        PopTool.Result r = update(makeBinary("unhealthy", "0.2.9", "--unhealthy"));
        assertThat(r.exitCode()).as("%s", r).isEqualTo(10);
        JsonNode steps = r.data().get("steps");
        assertThat(steps.toString()).contains("not healthy within 2s", "rollback-health");
        assertThat(installedVersion()).isEqualTo("0.2.8");
        assertThat(pop().run("--json", "health").data().get("healthy").asBoolean()).isTrue();
    }

    @Test
    void theUpdateNeverHealthyFaultRollsBackAnyNewVersion() {
        pop().run("start");
        PopTool.sim("fault", node.toString(), "update-never-healthy");
        PopTool.Result r = update(makeBinary("new", "0.2.9"));
        assertThat(r.exitCode()).as("%s", r).isEqualTo(10);
        assertThat(installedVersion()).isEqualTo("0.2.8");
    }

    /** The simulator's fault for a rollout's soak: the new binary runs and is healthy, but Pipe scores it lower. */
    @Test
    void theReputationDropFaultLowersTheScoreOfAnyNewVersionOnly() {
        pop().run("start");
        double before = pop().run("--json", "status").data().get("reputation").get("score").asDouble();
        PopTool.sim("fault", node.toString(), "reputation-drop-after-update", "0.25");
        assertThat(pop().run("--json", "status").data().get("reputation").get("score").asDouble())
                .as("the installed binary is unaffected").isCloseTo(before, org.assertj.core.api.Assertions.within(0.002));
        PopTool.Result r = update(makeBinary("new", "0.2.9"));
        assertThat(r.exitCode()).as("%s", r).isZero();
        JsonNode status = pop().run("--json", "status").data();
        assertThat(status.get("service").get("healthy").asBoolean()).isTrue();
        assertThat(status.get("reputation").get("score").asDouble()).as("0.25 lower on 0.2.9")
                .isCloseTo(Math.max(0, before - 0.25), org.assertj.core.api.Assertions.within(0.002));
    }

    @Test
    void rollbackReturnsToThePreviousBinary() {
        update(makeBinary("new", "0.2.9"));
        PopTool.Result r = pop().run("--json", "update", "--rollback", "--timeout", "3");
        NodeJsonSchema.assertValid(r);
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(installedVersion()).isEqualTo("0.2.8");
    }

    @Test
    void rollbackWithoutAPreviousBinaryIsNotFound() {
        PopTool.Result r = pop().run("--json", "update", "--rollback");
        NodeJsonSchema.assertValid(r);
        assertThat(r.exitCode()).isEqualTo(3);
    }

    @Test
    void updateWithoutASha256IsAUsageError() {
        PopTool.Result r = pop().run("--json", "update", "--file", makeBinary("new", "0.2.9").toString());
        NodeJsonSchema.assertValid(r);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.json().at("/error/message").asText()).contains("mandatory");
    }

    @Test
    void checkUpdateAndUpdateFollowAVersionManifestServedOnLoopback() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl not installed");
        Path file = makeBinary("new", "0.2.9");
        byte[] body = Files.readAllBytes(file);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v0.2.9/pop", ex -> {
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/v0.2.9/pop";
            Path manifest = temp.resolve("manifest");
            Files.writeString(manifest, "version=0.2.9\nurl=" + url + "\nsha256=" + sha256(file) + "\n");
            PopTool.Result check = pop().env("POP_VERSION_MANIFEST", manifest.toString()).run("--json", "check-update");
            JsonNode data = NodeJsonSchema.assertValid(check).get("data");
            assertThat(data.get("update_available").asBoolean()).isTrue();
            assertThat(data.get("latest_version").asText()).isEqualTo("0.2.9");
            PopTool.Result r = pop().env("POP_VERSION_MANIFEST", manifest.toString()).run("--json", "update", "--manifest",
                    "--timeout", "3");
            NodeJsonSchema.assertValid(r);
            assertThat(r.exitCode()).as("%s", r).isZero();
            assertThat(installedVersion()).isEqualTo("0.2.9");
        } finally {
            server.stop(0);
        }
    }

    private String state() {
        return pop().run("--json", "status").data().at("/service/state").asText();
    }

    @Test
    void aSecondUpdateToTheSameBinaryIsANoOpThatKeepsTheRollbackTarget() throws Exception {
        assertThat(pop().run("start").exitCode()).isZero();
        Path file = makeBinary("new", "0.2.9");
        PopTool.Result first = update(file);
        assertThat(first.exitCode()).as("%s", first).isZero();
        assertThat(first.data().get("changed").asBoolean()).isTrue();
        byte[] prev = Files.readAllBytes(node.resolve("opt/pop/pop.prev"));
        long pid = pop().run("--json", "status").data().at("/service/pid").asLong();

        PopTool.Result second = update(file);
        assertThat(second.exitCode()).as("%s", second).isZero();
        assertThat(second.data().get("changed").asBoolean()).isFalse();
        assertThat(second.data().at("/steps/0/step").asText()).isEqualTo("compare");
        assertThat(second.data().get("steps")).hasSize(1);
        assertThat(Files.readAllBytes(node.resolve("opt/pop/pop.prev"))).as("pop.prev untouched").isEqualTo(prev);
        assertThat(pop().run("--json", "version").data().get("binary_version").asText()).isEqualTo("0.2.9");
        assertThat(pop().run("--json", "status").data().at("/service/pid").asLong()).as("not restarted").isEqualTo(pid);
        assertThat(pop().run("update", "--file", file.toString(), "--sha256", sha256(file)).stdout())
                .contains("installed already");
    }

    @Test
    void updatingAStoppedNodeLeavesItStopped() {
        assertThat(state()).isEqualTo("stopped");
        PopTool.Result r = update(makeBinary("new", "0.2.9"));
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.data().get("service_before").asText()).isEqualTo("stopped");
        assertThat(r.data().get("steps").toString()).contains("not started").doesNotContain("\"health\"");
        assertThat(installedVersion()).isEqualTo("0.2.9");
        assertThat(state()).isEqualTo("stopped");
        PopTool.Result back = pop().run("--json", "update", "--rollback", "--timeout", "3");
        assertThat(back.exitCode()).as("%s", back).isZero();
        assertThat(installedVersion()).isEqualTo("0.2.8");
        assertThat(state()).as("a rollback keeps the run state too").isEqualTo("stopped");
    }

    @Test
    void updateBacksUpTheIdentityAndRunsRefreshAfterTheSwapBeforeTheStart() throws Exception {
        pop().run("start");
        PopTool.sim("fault", node.toString(), "auth-expired");
        PopTool.Result r = update(makeBinary("new", "0.2.9"));
        assertThat(r.exitCode()).as("%s", r).isZero();
        List<String> steps = new ArrayList<>();
        r.data().get("steps").forEach(s -> steps.add(s.get("step").asText()));
        assertThat(steps).containsSubsequence("backup", "stop", "swap", "refresh", "start", "health");
        String archive = r.data().get("backup").asText();
        assertThat(node.resolve("var/backups/pop").resolve(archive)).exists();
        // The simulated binary's --refresh renews an expired token, as a real refresh does.
        assertThat(node.resolve("var/lib/pop-sim/faults/auth-expired")).doesNotExist();
        JsonNode backups = pop().run("--json", "list-backups").data().get("backups");
        assertThat(backups.get(0).get("name").asText()).isEqualTo(archive);
    }

    @Test
    void anUpdateBeforeThePreviousOneSettledKeepsTheLastKnownGoodBinary() throws Exception {
        pop().run("start");
        byte[] original = Files.readAllBytes(binary());
        assertThat(update(makeBinary("b", "0.2.9")).exitCode()).isZero();
        PopTool.Result second = update(makeBinary("c", "0.3.0"));
        assertThat(second.exitCode()).as("%s", second).isZero();
        assertThat(second.data().get("previous_version").asText()).isEqualTo("0.2.8");
        assertThat(Files.readAllBytes(node.resolve("opt/pop/pop.prev"))).as("0.2.9 was on probation")
                .isEqualTo(original);
        // Once a binary has been healthy for the settle time it becomes the rollback target.
        PopTool.Result third = pop().env("POP_UPDATE_SETTLE", "0").run("--json", "update", "--file",
                makeBinary("d", "0.3.1").toString(), "--sha256", sha256(temp.resolve("d")), "--timeout", "2");
        NodeJsonSchema.assertValid(third);
        assertThat(third.exitCode()).as("%s", third).isZero();
        assertThat(third.data().get("previous_version").asText()).isEqualTo("0.3.0");
    }

    @Test
    void aFailedUpdateRollsBackToTheKnownGoodBinaryAndKeepsIt() throws Exception {
        pop().run("start");
        byte[] original = Files.readAllBytes(binary());
        PopTool.Result r = update(makeBinary("crash", "0.2.9", "--crash"));
        assertThat(r.exitCode()).as("%s", r).isEqualTo(10);
        assertThat(Files.readAllBytes(binary())).isEqualTo(original);
        assertThat(Files.readAllBytes(node.resolve("opt/pop/pop.prev"))).as("still the rollback target")
                .isEqualTo(original);
    }
}
