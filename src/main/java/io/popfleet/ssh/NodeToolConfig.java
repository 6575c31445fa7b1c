package io.popfleet.ssh;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Which node tool runs call ({@code popfleet.node-tool.*}), unless a node's inventory entry (or its group's vars)
 * says otherwise: the shipped bundle (the default), or a {@code pop} installed on the nodes by other means.
 */
@ConfigMapping(prefix = "popfleet.node-tool")
public interface NodeToolConfig {

    /** {@code shipped}: upload the bundle by hash when a node lacks it; {@code installed}: never upload. */
    @WithDefault("shipped")
    String mode();

    /** The installed tool: an absolute path, or a command name found on the login's PATH. */
    @WithDefault("pop")
    String installedPath();

    /** The controller's default, refused with the setting's name when either value is not valid. */
    default NodeTool toNodeTool() {
        NodeTool.Mode mode = NodeTool.Mode.fromCode(mode()).orElseThrow(() -> new IllegalStateException(
                "popfleet.node-tool.mode is '" + mode() + "': expected shipped or installed"));
        NodeTool.pathProblem(installedPath()).ifPresent(problem -> {
            throw new IllegalStateException("popfleet.node-tool.installed-path: " + problem);
        });
        return new NodeTool(mode, installedPath());
    }
}
