package io.popfleet.ssh;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeToolTest {

    @Test
    void pathsThatAreNotAPathOrACommandNameAreRefused() {
        assertThat(NodeTool.pathProblem("/usr/local/bin/pop")).isEmpty();
        assertThat(NodeTool.pathProblem("pop")).isEmpty();
        for (String bad : List.of("pop; reboot", "$(id)", "/opt/my pop", "bin/pop", "-pop", "/opt//pop", "~/pop",
                "pop\n", "")) {
            assertThat(NodeTool.pathProblem(bad)).as(bad).isPresent();
        }
    }

    @Test
    void aNodesChoiceTakesWhatItLeavesOpenFromTheControllers() {
        NodeTool controller = new NodeTool(NodeTool.Mode.INSTALLED, "/opt/pop/bin/pop");

        assertThat(NodeTool.ofNode(null, null)).isNull();
        assertThat(NodeTool.ofNode("shipped", null).over(controller).shipped()).isTrue();
        assertThat(NodeTool.ofNode(null, "pop2").over(controller)).isEqualTo(NodeTool.installed("pop2"));
        assertThat(NodeTool.ofNode("installed", null).over(NodeTool.SHIPPED)).isEqualTo(NodeTool.installed("pop"));
    }

    @Test
    void aMistypedControllerSettingIsRefusedNamingIt() {
        assertThat(config("installed", "/usr/local/bin/pop").toNodeTool())
                .isEqualTo(NodeTool.installed("/usr/local/bin/pop"));
        assertThat(config("shipped", "pop").toNodeTool().shipped()).isTrue();
        assertThatThrownBy(() -> config("preinstalled", "pop").toNodeTool())
                .hasMessage("popfleet.node-tool.mode is 'preinstalled': expected shipped or installed");
        assertThatThrownBy(() -> config("installed", "pop && reboot").toNodeTool())
                .hasMessageStartingWith("popfleet.node-tool.installed-path: node tool path 'pop && reboot'");
    }

    private static NodeToolConfig config(String mode, String path) {
        return new NodeToolConfig() {
            @Override
            public String mode() {
                return mode;
            }

            @Override
            public String installedPath() {
                return path;
            }
        };
    }
}
