package io.popfleet.nodetool;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The facts the controller's drift view compares: the wallet in node.conf, in the unit and in the running process,
 * and the ports 80/443 switch as configured and as running.
 */
class DriftFactsTest extends SimulatedNodeTest {

    private static final String OTHER_WALLET = "7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU";

    @Test
    void aRunningNodeReportsWhatItsProcessWasStartedWith() {
        assertThat(pop().run("start").exitCode()).isZero();
        PopTool.Result r = pop().run("--json", "status");
        NodeJsonSchema.assertValid(r);
        JsonNode data = r.data();
        assertThat(data.at("/process/wallet").asText()).isEqualTo(data.get("wallet").asText()).isNotEmpty();
        assertThat(data.at("/process/enable_80_443").asBoolean()).isTrue();
        assertThat(data.at("/config/enable_80_443").asBoolean()).isTrue();
        // The simulated node is set up as pop install leaves one: the settings drop-in carries the wallet.
        assertThat(data.at("/config/unit_wallet").asText()).isEqualTo(data.get("wallet").asText());
    }

    @Test
    void aStoppedNodeHasNoProcessFacts() {
        PopTool.Result r = pop().run("--json", "status");
        NodeJsonSchema.assertValid(r);
        assertThat(r.data().get("process").isNull()).isTrue();
    }

    @Test
    void aWalletChangedWithoutRestartShowsAsAProcessDifference() {
        assertThat(pop().run("start").exitCode()).isZero();
        String before = pop().run("--json", "status").data().get("wallet").asText();
        assertThat(pop().run("set-wallet", OTHER_WALLET).exitCode()).isZero();

        JsonNode status = pop().run("--json", "status").data();
        assertThat(status.get("wallet").asText()).isEqualTo(OTHER_WALLET);
        assertThat(status.at("/process/wallet").asText()).isEqualTo(before);

        PopTool.Result info = pop().run("--json", "wallet-info");
        NodeJsonSchema.assertValid(info);
        assertThat(info.data().get("process_wallet").asText()).isEqualTo(before);
        assertThat(info.data().get("consistent").asBoolean()).isFalse();
        assertThat(pop().run("wallet-info").stdout()).contains("pop restart");

        assertThat(pop().run("restart").exitCode()).isZero();
        info = pop().run("--json", "wallet-info");
        assertThat(info.data().get("process_wallet").asText()).isEqualTo(OTHER_WALLET);
        assertThat(info.data().get("consistent").asBoolean()).isTrue();
    }

    @Test
    void aHandEditedUnitShowsItsOwnWallet() throws Exception {
        // An edit of the drop-in, whose ExecStart is the one systemd runs.
        Path unit = node.resolve("etc/systemd/system/pop.service.d/popfleet.conf");
        Files.createDirectories(unit.getParent());
        Files.writeString(unit, "[Service]\nExecStart=\nExecStart=/opt/pop/pop --ram=8 --pubKey=" + OTHER_WALLET + "\n");
        JsonNode status = pop().run("--json", "status").data();
        assertThat(status.at("/config/unit_wallet").asText()).isEqualTo(OTHER_WALLET);
        assertThat(status.get("wallet").asText()).isNotEqualTo(OTHER_WALLET);
        assertThat(pop().run("--json", "wallet-info").data().get("consistent").asBoolean()).isFalse();
    }

    @Test
    void portsDisabledWithoutRestartShowAsAProcessDifference() {
        assertThat(pop().run("start").exitCode()).isZero();
        assertThat(pop().run("ports", "--disable-80-443").exitCode()).isZero();
        JsonNode status = pop().run("--json", "status").data();
        assertThat(status.at("/config/enable_80_443").asBoolean()).isFalse();
        assertThat(status.at("/process/enable_80_443").asBoolean()).isTrue();
    }
}
