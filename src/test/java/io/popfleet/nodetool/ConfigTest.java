package io.popfleet.nodetool;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Settings: environment over the node's pop.conf over the login's ~/.popfleet/pop.conf over the defaults. */
class ConfigTest extends SimulatedNodeTest {

    @Test
    void aLoginsPopfleetConfPointsTheToolAtItsNodeWithoutAnyEnvironment() throws Exception {
        Files.createDirectories(home.resolve(".popfleet"));
        Files.writeString(home.resolve(".popfleet/pop.conf"), "# set by the test fleet\nPOP_ROOT=" + node + "\n");
        String expected = pop().run("--json", "status").data().get("node_id").asText();
        PopTool.Result r = PopTool.tree().home(home).run("--json", "status");
        NodeJsonSchema.assertValid(r);
        assertThat(r.data().get("node_id").asText()).isEqualTo(expected);
    }

    @Test
    void theEnvironmentBeatsTheNodesConfigurationFile() throws Exception {
        Path conf = node.resolve("etc/pop/pop.conf");
        Files.writeString(conf, Files.readString(conf) + "POP_UNIT=popd.service\n");
        assertThat(pop().run("--json", "status").data().at("/service/unit").asText()).isEqualTo("popd.service");
        assertThat(pop().env("POP_UNIT", "pipe-pop.service").run("--json", "status").data().at("/service/unit").asText())
                .isEqualTo("pipe-pop.service");
    }

    @Test
    void aBadConfigurationLineIsRefusedWithItsLineNumber() throws Exception {
        Path conf = node.resolve("etc/pop/pop.conf");
        Files.writeString(conf, Files.readString(conf) + "POP_UNIT=$(reboot)\n");
        PopTool.Result r = pop().run("--json", "status");
        NodeJsonSchema.assertValid(r);
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("config_invalid");
        Files.writeString(conf, "POP_NOT_A_SETTING=1\n");
        assertThat(pop().run("--json", "status").json().at("/error/message").asText()).contains("pop.conf:1:");
    }

    @Test
    void aRelativeOrTraversingPopRootIsRefused() {
        for (String root : new String[] {"relative/dir", "/tmp/../etc", "/tmp/a b"}) {
            PopTool.Result r = PopTool.tree().home(home).env("POP_ROOT", root).run("--json", "health");
            NodeJsonSchema.assertValid(r);
            assertThat(r.exitCode()).as(root).isEqualTo(3);
        }
    }
}
