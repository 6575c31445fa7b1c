package io.popfleet.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The typed answers read the examples of the --json contract (docs/node-json.md) as documented. */
class NodeAnswerTest {

    /** The documented example answer of {@code command}: the json block after "Example: `pop --json COMMAND`". */
    private static NodeOutput documented(String command) throws Exception {
        return documented(command, command);
    }

    /** The documented example of {@code command} whose heading shows it as {@code invocation} (with arguments). */
    private static NodeOutput documented(String command, String invocation) throws Exception {
        String doc = Files.readString(Path.of("docs/node-json.md"));
        int example = doc.indexOf("Example: `pop --json " + invocation + "`");
        assertThat(example).as("docs/node-json.md documents " + command).isNotNegative();
        int start = doc.indexOf("```json", example) + "```json".length();
        return NodeOutputParser.parse(command, doc.substring(start, doc.indexOf("```", start)));
    }

    @Test
    void aStatusAnswerIsReadIntoItsRecord() throws Exception {
        NodeStatus status = (NodeStatus) documented("status").answer();

        assertThat(status.serviceState()).isEqualTo("running");
        assertThat(status.healthy()).isTrue();
        assertThat(status.reputation()).isEqualTo(new Reputation(0.678, "poor", 0.814, 0.714, 0.46,
                3_222_836_500_000L, FigureSource.BINARY, FigureSource.ESTIMATE));
        assertThat(status.reputation().fromBinary()).isTrue();
        assertThat(status.points()).isEqualTo(1600L);
        assertThat(status.pointsSource()).isEqualTo(FigureSource.BINARY);
        assertThat(status.auth()).isEqualTo("ok");
        assertThat(status.authExpired()).isFalse();
        assertThat(status.binaryStatus()).isEqualTo("ok");
        assertThat(status.binaryVersion()).isEqualTo("0.2.8");
        assertThat(status.wallet()).isEqualTo("v4VFYJo7CXyhtghAmPRqJ3s8T6MGzs7WAsztLN9g9rAk");
        assertThat(status.config()).isEqualTo(new NodeStatus.Config(true, null));
        assertThat(status.process()).isEqualTo(new NodeStatus.Process(status.wallet(), true));
        assertThat(status.port(443)).contains(new NodeStatus.Port(443, "ours", null));
        assertThat(status.ports()).hasSize(3);
    }

    @Test
    void theVersionAnUpdateInstalledOrAHealthCheckSawIsReadAsTheRunningVersion() throws Exception {
        assertThat(documented("update", "update --file /tmp/pop-0.2.9 --sha256 "
                + "ae890545fa11ff22d91b4edc345de08ac9e7f93fbcfd9964f55f261df1623a2d --timeout 5").answer())
                .isEqualTo(new RunningVersion("0.2.9"));
        assertThat(documented("health").answer()).isEqualTo(new RunningVersion("0.2.8"));
        assertThat(documented("version").answer()).isEqualTo(new RunningVersion("0.2.8"));
        // check-update names what could be installed, not what runs: no version is taken from it.
        assertThat(NodeAnswer.read("check-update", java.util.Map.of("installed_version", "0.2.8"))).isNull();
        assertThat(NodeAnswer.read("update", java.util.Map.of("installed_version", ""))).isNull();
    }

    @Test
    void aBackupListAnswerIsReadNewestFirst() throws Exception {
        BackupList list = (BackupList) documented("list-backups").answer();

        assertThat(list.directory()).isEqualTo("/var/backups/pop");
        assertThat(list.newest()).hasValueSatisfying(newest -> {
            assertThat(newest.created()).isEqualTo(Instant.parse("2026-11-26T06:35:10Z"));
            assertThat(newest.sizeBytes()).isEqualTo(961L);
            assertThat(newest.verified()).isTrue();
            assertThat(newest.encrypted()).isFalse();
        });
    }

    @Test
    void leaderboardAndWalletAnswersAreRead() throws Exception {
        LeaderboardAnswer leaderboard = (LeaderboardAnswer) documented("leaderboard").answer();
        WalletInfo wallet = (WalletInfo) documented("wallet-info").answer();

        assertThat(leaderboard.rankingSource()).as("the example node has no ranking source").isNull();
        assertThat(leaderboard.reputation().score()).isEqualTo(0.678);
        assertThat(leaderboard.reputation().source()).isEqualTo(FigureSource.BINARY);
        assertThat(leaderboard.points()).isEqualTo(1600L);
        assertThat(wallet.consistent()).isTrue();
        assertThat(wallet.unitWallet()).isNull();
        assertThat(wallet.processWallet()).isEqualTo(wallet.wallet());
    }

    @Test
    void fieldsOfAnotherTypeAreUnknownRatherThanAFailure() {
        NodeStatus status = (NodeStatus) NodeAnswer.read("status", Map.of("service", "running", "points", "many",
                "ports", List.of("80", Map.of("port", 80, "status", "taken", "holder", "nginx")), "process", "none"));

        assertThat(status.serviceState()).isNull();
        assertThat(status.points()).isNull();
        assertThat(status.process()).isNull();
        assertThat(status.port(80)).contains(new NodeStatus.Port(80, "taken", "nginx"));
        assertThat(NodeAnswer.read("health", Map.of("healthy", true))).as("health has no typed answer").isNull();
        assertThat(NodeAnswer.read("status", null)).isNull();
    }

    @Test
    void aV1AnswerFromBeforePerFigureSourcesIsReadAsTheEstimateItWas() {
        NodeStatus status = (NodeStatus) NodeAnswer.read("status", Map.of("reputation",
                Map.of("score", 0.5, "source", "popfleet-estimate"), "points", 3, "auth", "expired"));

        assertThat(status.reputation().source()).isEqualTo(FigureSource.ESTIMATE);
        assertThat(status.reputation().egressSource()).isNull();
        assertThat(status.pointsSource()).as("not reported").isNull();
        assertThat(status.authExpired()).isTrue();
        assertThat(FigureSource.of("pipe")).as("an unknown source is unknown, not an estimate").isNull();
    }

    @Test
    void aFailedCommandHasNoTypedAnswer() throws Exception {
        NodeOutput failed = NodeOutputParser.parse("status", "{\"schema\":\"popfleet.node/v1\",\"command\":\"status\","
                + "\"ok\":false,\"data\":{\"service\":{}},\"error\":{\"code\":\"internal\",\"message\":\"x\"}}");

        assertThat(failed.answer()).isNull();
    }
}
