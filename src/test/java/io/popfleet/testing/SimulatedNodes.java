package io.popfleet.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Turns test-fleet nodes into simulated PoP nodes (pop-sim) and drives them, for tests that run the real tool. */
public final class SimulatedNodes {

    private SimulatedNodes() {
    }

    /** Lays out a pop-sim node in the node's home once; later tests reuse it. */
    public static void simulate(FleetNode node, int seed) throws IOException, InterruptedException {
        if (!Files.exists(node.home().resolve("etc/pop/pop.conf"))) {
            popSim("init", node.home().toString(), "--seed", Integer.toString(seed));
        }
    }

    /** Runs {@code agentless-scripts/sim/pop-sim} and requires it to succeed. */
    public static void popSim(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("agentless-scripts/sim/pop-sim"));
        command.addAll(List.of(arguments));
        Process sim = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(sim.getInputStream().readAllBytes());
        assertThat(sim.waitFor()).as(output).isZero();
    }

    /** Runs the node tool on a simulated node directly (not over SSH); answers its exit status. */
    public static int pop(FleetNode node, String... arguments) throws IOException, InterruptedException {
        Process process = start(node, true, arguments);
        process.getInputStream().readAllBytes();
        return process.waitFor();
    }

    /** Runs the node tool on a simulated node directly (not over SSH); answers what it printed on stdout. */
    public static String popOutput(FleetNode node, String... arguments) throws IOException, InterruptedException {
        Process process = start(node, false, arguments);
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return out;
    }

    /**
     * The tool with the node's files and its simulated systemctl first on PATH, as the node's SSH sessions have;
     * stderr joins stdout, or is dropped.
     */
    private static Process start(FleetNode node, boolean joinStderr, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("agentless-scripts/pop"));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command);
        if (joinStderr) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        }
        builder.environment().put("POP_ROOT", node.home().toString());
        builder.environment().put("PATH", node.home().toAbsolutePath().resolve("sim/bin") + ":"
                + builder.environment().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().put("HOME", node.home().toString());
        return builder.start();
    }
}
