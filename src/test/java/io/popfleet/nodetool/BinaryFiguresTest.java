package io.popfleet.nodetool;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The figures the tool reads from the Pipe node binary, one output format at a time: a node binary that prints
 * a fixture (src/test/resources/pipe-binary, see its README) replaces the simulated one, and the tool's answers
 * must carry what the fixture says, name it as the binary's, and fail loudly on a format the tool does not know.
 */
class BinaryFiguresTest extends SimulatedNodeTest {

    /** Makes the node binary answer FLAG with the fixture's text (exit 1 for a refused token), --version 0.2.8. */
    private void answer(String flag, String fixture) throws IOException {
        Path answers = node.resolve("answers");
        Files.createDirectories(answers);
        try (InputStream in = getClass().getResourceAsStream("/pipe-binary/" + fixture)) {
            assertThat(in).as("fixture %s", fixture).isNotNull();
            Files.write(answers.resolve(flag), in.readAllBytes());
        }
        Files.deleteIfExists(answers.resolve(flag + ".fail"));
        if (fixture.endsWith("-token-expired.txt")) {
            Files.writeString(answers.resolve(flag + ".fail"), "");
        }
        Path binary = node.resolve("opt/pop/pop");
        Files.writeString(binary, String.join("\n", "#!/bin/bash",
                "case \"${1:-}\" in",
                "  --version) echo 'Pipe PoP node v0.2.8' ;;",
                "  *) f='" + answers + "/'\"${1#--}\"",
                "     [[ -r \"$f\" ]] || { echo \"unknown flag $1\" >&2; exit 2; }",
                "     cat \"$f\"; [[ -e \"$f.fail\" ]] && exit 1; exit 0 ;;",
                "esac", ""));
        Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private JsonNode json(String... args) {
        PopTool.Result r = pop().run(args);
        return NodeJsonSchema.assertValid(r);
    }

    @ParameterizedTest
    @CsvSource({
        "status-devnet2.txt, 0.7, 1.0, 1.0, 0.0, fair, 7648e332-49cc-4167-82de-ecb36aa08eb0",
        "status-percent.txt, 0.755, 0.935, 0.857, 0.412, fair, 0c7d9a51-3f0e-4b8a-9e61-2d5f8a7c4b10"})
    void theBinarysBreakdownIsTheReputationAndSaysSo(String fixture, double score, double uptime, double historical,
            double egress, String band, String nodeId) throws IOException {
        answer("status", fixture);
        answer("points", "points-not-active.txt");

        JsonNode data = json("--json", "status").get("data");

        JsonNode reputation = data.get("reputation");
        assertThat(reputation.get("score").asDouble()).isEqualTo(score);
        assertThat(reputation.at("/components/uptime").asDouble()).isEqualTo(uptime);
        assertThat(reputation.at("/components/historical").asDouble()).isEqualTo(historical);
        assertThat(reputation.at("/components/egress").asDouble()).isEqualTo(egress);
        assertThat(reputation.get("band").asText()).isEqualTo(band);
        assertThat(reputation.get("source").asText()).isEqualTo("binary");
        assertThat(reputation.at("/sources/score").asText()).isEqualTo("binary");
        assertThat(reputation.at("/sources/egress").asText()).isEqualTo("binary");
        assertThat(reputation.at("/sources/egress_bytes_7d").asText())
                .as("the binary prints no byte count: that figure is the tool's").isEqualTo("estimate");
        assertThat(data.at("/binary_status/state").asText()).isEqualTo("ok");
        assertThat(data.at("/binary_status/node_id").asText()).isEqualTo(nodeId);
        assertThat(data.get("auth").asText()).isEqualTo("ok");
    }

    @Test
    void aStatusInAnUnknownFormatIsNamedAndTheEstimateIsLabelledAsSuch() throws IOException {
        answer("status", "status-unknown.txt");
        answer("points", "points-not-active.txt");

        PopTool.Result r = pop().run("--json", "status");
        JsonNode data = NodeJsonSchema.assertValid(r).get("data");

        assertThat(r.exitCode()).as("status still answers").isZero();
        assertThat(data.at("/binary_status/state").asText()).isEqualTo("unknown_format");
        assertThat(data.at("/reputation/source").asText()).isEqualTo("popfleet-estimate");
        assertThat(data.at("/reputation/sources/score").asText()).isEqualTo("estimate");
        assertThat(r.stderr()).contains("no reputation breakdown this tool can read");
    }

    @Test
    void aRefusedTokenInTheStatusAnswerIsAuthExpiredAndHealthKeepsIt() throws IOException {
        answer("status", "status-token-expired.txt");
        answer("points", "points-token-expired.txt");

        JsonNode data = json("--json", "status").get("data");
        assertThat(data.get("auth").asText()).isEqualTo("expired");
        assertThat(data.at("/binary_status/state").asText()).isEqualTo("auth_expired");
        assertThat(data.get("points").isNull()).isTrue();
        assertThat(data.get("points_source").isNull()).isTrue();

        JsonNode health = json("--json", "health").get("data");
        assertThat(health.get("problems").toString()).contains("auth expired");

        PopTool.Result points = pop().run("--json", "points");
        assertThat(points.exitCode()).isEqualTo(8);
        assertThat(NodeJsonSchema.assertValid(points).at("/error/code").asText()).isEqualTo("auth_expired");
    }

    @ParameterizedTest
    @CsvSource(value = {
        "points-not-active.txt, null, null, false",
        "points-referrals.txt, 40, 4, false",
        "points-active.txt, 1250, 3, true"}, nullValues = "null")
    void pointsAreReadFromTheBinary(String fixture, Long points, Long referred, boolean active) throws IOException {
        answer("points", fixture);

        JsonNode data = json("--json", "points").get("data");

        assertThat(data.get("points").isNull() ? null : data.get("points").asLong()).isEqualTo(points);
        assertThat(data.get("referred_nodes").isNull() ? null : data.get("referred_nodes").asLong())
                .isEqualTo(referred);
        assertThat(data.get("active").asBoolean()).isEqualTo(active);
        assertThat(data.get("source").asText()).isEqualTo("binary");
    }

    @ParameterizedTest
    @CsvSource({"points, points-unknown.txt", "refresh, refresh-unknown.txt"})
    void anUnknownFormatFailsWithBadOutputAndShowsWhatTheBinarySaid(String command, String fixture)
            throws IOException {
        answer(command, fixture);

        PopTool.Result r = pop().run("--json", command);
        JsonNode json = NodeJsonSchema.assertValid(r);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(json.at("/error/code").asText()).isEqualTo("bad_output");
        assertThat(json.at("/data/output").toString()).contains(Files.readAllLines(node.resolve("answers/" + command))
                .get(0));
    }

    @ParameterizedTest
    @CsvSource(value = {
        "refresh-latest.txt, false, null, null",
        "refresh-update.txt, true, 0.2.9, https://dl.pipecdn.app/v0.2.9/pop"}, nullValues = "null")
    void refreshReadsWhetherAnUpdateIsOut(String fixture, boolean available, String latest, String url)
            throws IOException {
        answer("refresh", fixture);

        JsonNode data = json("--json", "refresh").get("data");
        JsonNode check = json("--json", "check-update").get("data");

        assertThat(data.get("update_available").asBoolean()).isEqualTo(available);
        assertThat(data.get("latest_version").isNull() ? null : data.get("latest_version").asText()).isEqualTo(latest);
        assertThat(data.get("download_url").isNull() ? null : data.get("download_url").asText()).isEqualTo(url);
        assertThat(check.get("update_available").asBoolean()).isEqualTo(available);
    }

    /** Every poll reads the token state; the file is rewritten only when it changes, and says since when. */
    @Test
    void theTokenStateIsWrittenWhenItChangesAndNotOnEveryStatus() throws IOException {
        Path state = node.resolve("var/lib/popfleet/binary.state");
        answer("status", "status-devnet2.txt");
        answer("points", "points-not-active.txt");
        assertThat(json("--json", "status").at("/data/auth").asText()).isEqualTo("ok");
        assertThat(Files.readString(state)).startsWith("AUTH=ok\nAUTH_AT=");

        Files.writeString(state, "AUTH=ok\nAUTH_AT=1\n");
        assertThat(json("--json", "status").at("/data/auth").asText()).isEqualTo("ok");
        assertThat(Files.readString(state)).as("unchanged: not rewritten").isEqualTo("AUTH=ok\nAUTH_AT=1\n");

        answer("status", "status-token-expired.txt");
        answer("points", "points-token-expired.txt");
        assertThat(json("--json", "status").at("/data/auth").asText()).isEqualTo("expired");
        assertThat(Files.readString(state)).startsWith("AUTH=expired\nAUTH_AT=").doesNotContain("AUTH_AT=1\n");
    }

    @Test
    void aRefreshThatRenewsTheTokenClearsAnExpiredOne() throws IOException {
        answer("status", "status-token-expired.txt");
        answer("points", "points-token-expired.txt");
        assertThat(json("--json", "status").at("/data/auth").asText()).isEqualTo("expired");
        answer("refresh", "refresh-token-expired.txt");
        PopTool.Result refused = pop().run("--json", "refresh");
        assertThat(refused.exitCode()).isEqualTo(8);

        answer("refresh", "refresh-latest.txt");
        assertThat(pop().run("--json", "refresh").exitCode()).isZero();

        assertThat(json("--json", "health").at("/data/problems").toString()).doesNotContain("auth expired");
    }

    @Test
    void withoutAnyCollectARunningServiceCountsItsUptimeAndTheHostCountersItsEgress() throws IOException {
        PopTool.sim("fault", node.toString(), "status-silent");
        PopTool.sim("fault", node.toString(), "counters-frozen");
        Files.delete(node.resolve("var/lib/popfleet/reports.tsv"));
        Files.createDirectories(node.resolve("proc/net"));
        long tx = 2_500_000_000_000L;
        Files.write(node.resolve("proc/net/dev"), List.of(
                "Inter-|   Receive                                                |  Transmit",
                " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo",
                "    lo: 999999 10 0 0 0 0 0 0 777777777 10 0 0 0 0 0 0",
                "  eth0: 123 1 0 0 0 0 0 0 " + tx + " 9 0 0 0 0 0 0"));
        Files.writeString(node.resolve("proc/uptime"), "86400.00 86400.00\n");
        assertThat(pop().run("start").exitCode()).isZero();
        await("two seconds of service uptime").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                .until(() -> pop().run("--json", "status").data().at("/service/uptime_seconds").asLong() >= 2);

        JsonNode data = json("--json", "status").get("data");

        long serviceUptime = data.at("/service/uptime_seconds").asLong();
        assertThat(data.at("/reputation/uptime_seconds_7d").asLong())
                .as("the running service's time counts although collect never ran")
                .isBetween(serviceUptime - 1, serviceUptime + 1).isPositive();
        assertThat(data.at("/reputation/egress_bytes_7d").asLong()).as("eth0's bytes sent, not lo's").isEqualTo(tx);
        assertThat(data.at("/reputation/egress_counter").asText()).isEqualTo("interface");
        assertThat(data.at("/reputation/source").asText()).isEqualTo("popfleet-estimate");
    }

    @Test
    void collectCountsTheCountersGrowthAndStatusAddsWhatCameSince() throws IOException {
        PopTool.sim("fault", node.toString(), "status-silent");
        PopTool.sim("fault", node.toString(), "counters-frozen");
        Files.writeString(node.resolve("var/lib/popfleet/reports.tsv"), "");
        Files.writeString(node.resolve("proc/uptime"), "86400.00 86400.00\n");
        assertThat(pop().run("start").exitCode()).isZero();
        writeTx(1_000_000_000L);
        assertThat(json("--json", "status").at("/data/reputation/egress_bytes_7d").asLong())
                .as("before any collect: the host's bytes since its boot a day ago").isEqualTo(1_000_000_000L);
        assertThat(pop().run("collect").exitCode()).isZero();
        writeTx(1_000_000_000L + 700_000_000_000L);
        assertThat(pop().run("collect").exitCode()).isZero();
        writeTx(1_000_000_000L + 700_000_000_000L + 70_000_000_000L);

        JsonNode reputation = json("--json", "status").at("/data/reputation");

        assertThat(reputation.get("egress_bytes_7d").asLong()).as("the first collect keeps what came before it")
                .isEqualTo(771_000_000_000L);
        assertThat(reputation.get("egress_counter").asText()).isEqualTo("collected");
        assertThat(reputation.at("/components/egress").asDouble()).as("771 GB of 7 TB").isEqualTo(0.1101);
    }

    @Test
    void underSystemdTheUnitsOwnEgressCountAndStartTimeAreUsed() throws IOException {
        PopTool.sim("fault", node.toString(), "status-silent");
        Files.delete(node.resolve("var/lib/popfleet/reports.tsv"));
        Path bin = temp.resolve("bin");
        Files.createDirectories(bin);
        Path egress = temp.resolve("ip-egress-bytes");
        Files.writeString(egress, "5000000000\n");
        long started = System.currentTimeMillis() / 1000 - 7200;
        // systemctl as systemd answers `show`: the unit active for two hours, IP accounting on; the egress count
        // alone with --value, as KEY=VALUE beside the others when they are asked together.
        Path systemctl = bin.resolve("systemctl");
        Files.writeString(systemctl, String.join("\n", "#!/bin/bash",
                "if [[ \"$*\" == *IPEgressBytes*--value* ]]; then cat '" + egress + "'; exit 0; fi",
                "if [[ \"$1\" == show ]]; then",
                "  printf 'ActiveState=active\\nMainPID=\\nNRestarts=0\\nActiveEnterTimestamp=%s\\n' \\",
                "    \"$(date -u -d @" + started + " '+%a %Y-%m-%d %H:%M:%S UTC')\"",
                "  if [[ \"$*\" == *IPEgressBytes* ]]; then printf 'IPEgressBytes=%s\\n' \"$(cat '" + egress + "')\"; fi",
                "fi", ""));
        Files.setPosixFilePermissions(systemctl, PosixFilePermissions.fromString("rwxr-xr-x"));
        PopTool systemd = pop().env("POP_SERVICE_MANAGER", "systemd").path(bin + ":" + PopTool.DEFAULT_PATH);

        JsonNode before = NodeJsonSchema.assertValid(systemd.run("--json", "status")).at("/data/reputation");
        assertThat(systemd.run("--json", "collect").exitCode()).isZero();
        Files.writeString(egress, "5300000000\n");
        JsonNode after = NodeJsonSchema.assertValid(systemd.run("--json", "status")).at("/data/reputation");

        assertThat(before.get("uptime_seconds_7d").asLong()).as("two hours since systemd started the unit, no collect")
                .isBetween(7200L, 7260L);
        assertThat(before.get("egress_bytes_7d").asLong()).isEqualTo(5_000_000_000L);
        assertThat(before.get("egress_counter").asText()).isEqualTo("unit");
        assertThat(after.get("egress_bytes_7d").asLong()).isEqualTo(5_300_000_000L);
        assertThat(after.get("egress_counter").asText()).isEqualTo("collected");
    }

    @Test
    void theUnitPopInstallWritesHasIpAccountingSoEgressIsTheServicesOwnCount() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "pop install runs as root");
        Path fresh = PopTool.initNode(temp.resolve("fresh"), 5151, "--systemd");
        try {
            // An existing user as the service user, so the test creates none.
            PopTool tool = PopTool.tree().on(fresh).home(home).env("POP_SERVICE_USER", "nobody");
            PopTool.Result install = tool.run("--json", "install", "--admin-user", "root");
            assertThat(install.exitCode()).as("%s", install).isZero();
            assertThat(Files.readAllLines(fresh.resolve("etc/systemd/system/pop.service"))).contains("IPAccounting=yes");
            assertThat(PopTool.sim("fault", fresh.toString(), "status-silent").exitCode()).isZero();
            Files.delete(fresh.resolve("var/lib/popfleet/reports.tsv"));
            assertThat(tool.run("start").exitCode()).isZero();

            JsonNode data = await("a second of the service's own egress").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(250)).until(() -> tool.run("--json", "status").data(),
                            d -> d.at("/reputation/egress_bytes_7d").asLong() > 0);

            String sim = Files.readString(fresh.resolve("var/lib/pop-sim/node.sim"));
            long bytesPerSecond = Long.parseLong(sim.replaceAll("(?s).*\\bEGRESS_MBPS=([0-9]+).*", "$1")) * 125_000;
            assertThat(data.at("/reputation/egress_counter").asText()).isEqualTo("unit");
            assertThat(data.at("/reputation/egress_bytes_7d").asLong())
                    .as("what the unit sent since it started, not the host's nine days of interface bytes")
                    .isLessThanOrEqualTo((data.at("/service/uptime_seconds").asLong() + 2) * bytesPerSecond);
        } finally {
            PopTool.killNode(fresh);
        }
    }

    private void writeTx(long bytes) throws IOException {
        Files.createDirectories(node.resolve("proc/net"));
        Files.write(node.resolve("proc/net/dev"), List.of("Inter-| header", " face | header",
                "  ens3: 0 0 0 0 0 0 0 0 " + bytes + " 0 0 0 0 0 0 0"));
    }

    @Test
    void theSimulatedBinaryIsReadLikeARealOne() {
        assertThat(pop().run("start").exitCode()).isZero();

        JsonNode data = json("--json", "status").get("data");
        JsonNode direct = json("--json", "points").get("data");

        assertThat(data.at("/binary_status/state").asText()).isEqualTo("ok");
        assertThat(data.at("/binary_status/node_id").asText()).isEqualTo(data.get("node_id").asText());
        assertThat(data.at("/reputation/source").asText()).isEqualTo("binary");
        assertThat(data.get("points").asLong()).isEqualTo(direct.get("points").asLong());
        assertThat(data.get("points_source").asText()).isEqualTo("binary");
    }
}
