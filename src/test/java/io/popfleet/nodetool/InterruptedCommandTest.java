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

        // Ctrl-C reaches the whole process group, as a terminal sends it. Bash ignores one that lands as a child
        // exits on its own (it takes the signal as the child's to handle), so the driver presses again, as a
        // person would, until pop is gone; pop must then have said why, once.
        PopTool.Result human = PopTool.exec(List.of("/bin/bash", "-c", CTRL_C_DRIVER, pop, "start", "--wait", "30"),
                env, Duration.ofSeconds(20));
        assertThat(human.timedOut()).isFalse();
        assertThat(human.stdout()).contains("pop exited with 130");
        assertThat(human.stderr()).containsOnlyOnce("pop: start was stopped by SIGINT (status 130)")
                .doesNotContain("unexpectedly");
    }

    /** Runs pop ("$0" "$@") in its own process group and sends the group SIGINT every second until pop ends. */
    private static final String CTRL_C_DRIVER = """
            set -u
            setsid env --default-signal=INT /bin/bash "$0" "$@" &
            pid=$!
            sleep 1
            for _ in 1 2 3 4 5 6 7 8 9 10; do
              kill -s INT -- "-${pid}" 2>/dev/null || break
              sleep 1
            done
            wait "${pid}"
            echo "pop exited with $?"
            """;

    /** The start of a script run as {@code bash -c SCRIPT SCRIPTS_DIR}: pop's shell options and its library loaded. */
    private static final String WITH_LIBRARY = """
            set -euo pipefail
            for f in "$0"/lib/*.sh; do source "$f"; done
            """;

    /**
     * A Ctrl-C that reaches a forked shell ($(...), <(...)) between the fork and the moment it drops pop's traps
     * runs pop's trap in that child. Had the child exited, bash would take the signal as handled by it, pop's own
     * trap would never run, and pop would carry on with the child's empty output (a CI run once saw {@code start
     * --wait} fail with a syntax error that way). The child must die of the signal, so that pop stops and says so.
     * The race is rare; here the child runs the trap itself, which is what the race leads to.
     */
    @Test
    void aForkedShellThatCaughtTheSignalDiesOfItAndPopStops() {
        String script = WITH_LIBRARY + """
                POP_COMMAND=start
                pop_trap_exit_and_signals
                now="$(pop_on_signal INT 2 || :)"
                printf 'carried on with [%s]\n' "${now}"
                """;
        // timeout gives the shell a default SIGINT, whatever the test runner's is.
        PopTool.Result r = PopTool.exec(List.of("timeout", "20", "/bin/bash", "-c", script,
                PopTool.scriptsDir().toString()), Map.of("PATH", PopTool.DEFAULT_PATH), Duration.ofSeconds(30));
        assertThat(r.stdout()).doesNotContain("carried on");
        assertThat(r.stderr()).containsOnlyOnce("pop: start was stopped by SIGINT (status 130)");
        assertThat(r.exitCode()).isEqualTo(130);
    }

    /** In the same race a child may run pop's exit trap: it must leave pop's lock and answer alone. */
    @Test
    void aForkedShellThatRanTheExitTrapLeavesPopsLockAndAnswerAlone() {
        String script = WITH_LIBRARY + """
                POP_COMMAND=start POP_JSON=1
                lock="$(mktemp -d)"
                POP_CLEANUP+=("${lock}")
                pop_trap_exit_and_signals
                child="$(false || pop_on_exit)" || true
                [[ -d "${lock}" ]] && echo "lock kept"
                printf 'child said [%s]\n' "${child}"
                trap - EXIT
                rm -rf "${lock}"
                """;
        PopTool.Result r = PopTool.exec(List.of("/bin/bash", "-c", script, PopTool.scriptsDir().toString()),
                Map.of("PATH", PopTool.DEFAULT_PATH), Duration.ofSeconds(30));
        assertThat(r.stdout()).contains("lock kept", "child said []");
        assertThat(r.stderr()).isEmpty();
        assertThat(r.exitCode()).isZero();
    }
}
