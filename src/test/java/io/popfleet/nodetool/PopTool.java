package io.popfleet.nodetool;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs the node-side {@code pop} tool (source tree or bundle) and the simulator as real processes, with a
 * hermetic environment: only the variables set here, a temp {@code HOME}, a controlled {@code PATH}.
 * Shared by the script tests and, later, the controller-side tests.
 */
public final class PopTool {

    public static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path script;
    private final Map<String, String> env = new LinkedHashMap<>();
    private Duration timeout = Duration.ofSeconds(60);

    private PopTool(Path script) {
        this.script = script;
        env.put("PATH", DEFAULT_PATH);
        env.put("TERM", "dumb");
        env.put("LANG", "C.UTF-8");
    }

    /** The repository's {@code agentless-scripts} directory. */
    public static Path scriptsDir() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("agentless-scripts"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("agentless-scripts not found above " + System.getProperty("user.dir"));
        }
        return dir.resolve("agentless-scripts");
    }

    /** The tool from the source tree ({@code agentless-scripts/pop}). */
    public static PopTool tree() {
        return new PopTool(scriptsDir().resolve("pop"));
    }

    /** A bundle file made by {@link #buildBundle(Path)}. */
    public static PopTool bundle(Path bundleFile) {
        return new PopTool(bundleFile);
    }

    /** Runs {@code build-bundle OUTPUT} and returns OUTPUT. */
    public static Path buildBundle(Path output) {
        Result r = exec(List.of("bash", scriptsDir().resolve("build-bundle").toString(), output.toString()),
                Map.of("PATH", DEFAULT_PATH), Duration.ofSeconds(30));
        if (r.exitCode() != 0) {
            throw new IllegalStateException("build-bundle failed: " + r.stderr());
        }
        return output;
    }

    /** {@code pop-sim init DIR --seed SEED}: a fresh simulated node. */
    public static Path initNode(Path dir, long seed, String... extra) {
        List<String> cmd = new ArrayList<>(List.of(scriptsDir().resolve("sim/pop-sim").toString(), "init",
                dir.toString(), "--seed", Long.toString(seed)));
        cmd.addAll(Arrays.asList(extra));
        Result r = sim(cmd.subList(1, cmd.size()).toArray(String[]::new));
        if (r.exitCode() != 0) {
            throw new IllegalStateException("pop-sim init failed: " + r.stderr());
        }
        return dir;
    }

    /** Runs {@code pop-sim ARGS}. */
    public static Result sim(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(scriptsDir().resolve("sim/pop-sim").toString());
        cmd.addAll(Arrays.asList(args));
        return exec(cmd, Map.of("PATH", DEFAULT_PATH), Duration.ofSeconds(30));
    }

    /** Stops a simulated node's process whatever its state (cleanup). */
    public static void killNode(Path dir) {
        if (Files.isDirectory(dir.resolve("var/lib/pop-sim"))) {
            sim("kill", dir.toString());
        }
    }

    /**
     * Runs against the simulated node in DIR ({@code POP_ROOT=DIR}), with the node's {@code systemctl},
     * {@code journalctl} and {@code ss} ({@code DIR/sim/bin}) first on PATH, as the simulator provides them.
     */
    public PopTool on(Path nodeDir) {
        env.put("POP_ROOT", nodeDir.toString());
        env.put("PATH", simPath(nodeDir, env.get("PATH")));
        return this;
    }

    /** PATH with a simulated node's tools in front. */
    public static String simPath(Path nodeDir, String path) {
        return nodeDir.toAbsolutePath().resolve("sim/bin") + ":" + path;
    }

    public PopTool home(Path home) {
        env.put("HOME", home.toString());
        return this;
    }

    public PopTool env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public PopTool path(String path) {
        env.put("PATH", path);
        return this;
    }

    public PopTool timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** Runs {@code bash SCRIPT ARGS}. */
    public Result run(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("/bin/bash");
        cmd.add(script.toString());
        cmd.addAll(Arrays.asList(args));
        return exec(cmd, env, timeout);
    }

    static Result exec(List<String> command, Map<String, String> environment, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(environment);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            Process p = pb.start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            return new Result(done ? p.exitValue() : -1, out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS),
                    !done);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** One run: exit code, stdout, stderr, and whether it had to be killed at the timeout. */
    public record Result(int exitCode, String stdout, String stderr, boolean timedOut) {

        /** stdout parsed as the one JSON object the {@code --json} contract promises. */
        public JsonNode json() {
            try {
                return JSON.readTree(stdout);
            } catch (IOException e) {
                throw new AssertionError("stdout is not one JSON object: " + stdout + "\nstderr: " + stderr, e);
            }
        }

        public JsonNode data() {
            return json().get("data");
        }

        @Override
        public String toString() {
            return "exit " + exitCode + (timedOut ? " (timed out)" : "") + "\n--- stdout\n" + stdout + "--- stderr\n"
                    + stderr;
        }
    }
}
