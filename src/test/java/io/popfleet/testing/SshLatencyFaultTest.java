package io.popfleet.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.popfleet.api.FailureKind;
import io.popfleet.ssh.ExecLimits;
import io.popfleet.ssh.ExecResult;
import io.popfleet.ssh.SshEngine;
import io.popfleet.ssh.SshSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A simulated node's latency faults ({@code pop-sim fault DIR slow-command|hung-command SECONDS}) are its login being
 * slow: the test SSH server starts the command that much later, so the node tool needs no hook for them.
 */
class SshLatencyFaultTest {

    @RegisterExtension
    static final SshTestFleet FLEET = SshTestFleet.ofSize(1);

    static final ExecLimits LIMITS = new ExecLimits(Duration.ofSeconds(5), Duration.ofSeconds(5),
            Duration.ofSeconds(2), 1 << 20, 1 << 20);

    SshEngine engine;

    @BeforeEach
    void startEngine() throws Exception {
        SimulatedNodes.simulate(FLEET.node(0), 31);
        engine = SshEngine.start(SshSettings.defaults().withLimits(LIMITS), FLEET.pinnedHostKeys(),
                FLEET.credentials());
    }

    @AfterEach
    void stopEngine() throws Exception {
        engine.close();
        SimulatedNodes.popSim("clear", FLEET.node(0).home().toString());
    }

    private ExecResult run(String command, ExecLimits limits) throws Exception {
        return engine.exec(FLEET.target(0), command, new byte[0], limits).get(30, TimeUnit.SECONDS);
    }

    @Test
    void aSlowCommandStartsLateAndThenAnswers() throws Exception {
        String pop = "bash " + Path.of("agentless-scripts/pop").toAbsolutePath() + " --json version";
        SimulatedNodes.popSim("fault", FLEET.node(0).home().toString(), "slow-command", "1");
        long start = System.nanoTime();

        ExecResult result = run(pop, LIMITS);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(result.ok()).as("%s", result).isTrue();
        assertThat(result.stdout()).contains("\"command\":\"version\"", "\"ok\":true");
    }

    @Test
    void aHungCommandTimesOutAndTheNodeGoesOnWithItAfterwards() throws Exception {
        SimulatedNodes.popSim("fault", FLEET.node(0).home().toString(), "hung-command", "2");
        Path ran = FLEET.node(0).home().resolve("hung-ran");
        Files.deleteIfExists(ran);

        ExecResult result = run("touch hung-ran", LIMITS.withExecTimeout(Duration.ofSeconds(1)));

        assertThat(result.failure()).isEqualTo(FailureKind.TIMEOUT);
        assertThat(result.message()).contains("command timed out");
        assertThat(ran).as("nothing ran before the delay").doesNotExist();
        // As on a real node, the controller giving up does not stop what the node was about to do.
        await("the late command").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> Files.exists(ran));
        Files.delete(ran);
    }
}
