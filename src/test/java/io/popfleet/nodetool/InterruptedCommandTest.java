package io.popfleet.nodetool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A pop killed by a signal says so and exits with the shell's status for it, not "status 1". */
class InterruptedCommandTest extends SimulatedNodeTest {

    @Test
    void aCommandKilledByTimeoutReportsTheSignalAndExitsWithItsStatus() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/timeout")), "coreutils timeout not installed");
        // A node that starts but never becomes healthy: `start --wait 30` waits on it far longer than the timeouts.
        assertThat(PopTool.sim("make-binary", node.resolve("opt/pop/pop").toString(), "--version", "0.2.8",
                "--unhealthy").exitCode()).isZero();
        Map<String, String> env = Map.of("PATH", PopTool.simPath(node, PopTool.DEFAULT_PATH), "POP_ROOT",
                node.toString(), "HOME", home.toString());
        String pop = PopTool.scriptsDir().resolve("pop").toString();

        // timeout exits 124 when it had to stop the command; the command itself ended with 128 + 15.
        PopTool.Result outer = PopTool.exec(List.of("timeout", "2", "/bin/bash", pop, "--json", "start", "--wait",
                "30"), env, Duration.ofSeconds(20));
        assertThat(outer.timedOut()).as("the signal ends pop at once").isFalse();
        assertThat(outer.exitCode()).isEqualTo(124);
        assertThat(outer.json().at("/error/code").asText()).isEqualTo("terminated");
        assertThat(outer.json().at("/error/message").asText()).contains("SIGTERM", "status 143")
                .doesNotContain("status 1)");

        // The service runs now (unhealthy): the next two wait from their first second.
        PopTool.Result inner = PopTool.exec(List.of("/bin/bash", "-c",
                "timeout --preserve-status 1 /bin/bash \"$0\" --json start --wait 30", pop), env,
                Duration.ofSeconds(20));
        assertThat(inner.exitCode()).isEqualTo(143);
        NodeJsonSchema.assertValid(inner);

        PopTool.Result human = PopTool.exec(List.of("timeout", "-s", "INT", "1", "/bin/bash", pop, "start", "--wait",
                "30"), env, Duration.ofSeconds(20));
        assertThat(human.stderr()).contains("stopped by SIGINT (status 130)").doesNotContain("unexpectedly");
    }
}
