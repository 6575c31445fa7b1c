package io.popfleet.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.popfleet.database.EmbeddedPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One controller as an operator runs it: {@code java -jar quarkus-run.jar} in its own JVM, on its own loopback
 * port and data directory, pointed at a shared PostgreSQL with the shared master key. Its output goes to a log file
 * beside the test reports.
 */
final class ControllerProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final int port;
    private final Process process;
    private final Path log;

    private ControllerProcess(String name, int port, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts a controller and waits until it is ready ({@code /q/health/ready}).
     *
     * @param settings environment for this controller on top of the cluster's (database, key, admin)
     */
    static ControllerProcess start(String name, Path jar, Path workDir, Map<String, String> settings) {
        ControllerProcess controller = launch(name, jar, workDir, settings, freePort());
        controller.awaitReady();
        return controller;
    }

    /** A new random master key, as an operator makes one: 32 bytes, base64. */
    static String newMasterKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /**
     * What every controller of a test cluster is given: one database, one master key, one first admin; no metric
     * polling, alert evaluation or scheduled backups, so only the test's own runs touch the nodes; loopback only;
     * heartbeats and polls every second. Callers add their own settings to the map.
     */
    static Map<String, String> clusterSettings(EmbeddedPostgres database, String masterKey, String admin,
            String adminPassword) {
        Map<String, String> settings = new HashMap<>();
        settings.put("QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl());
        settings.put("QUARKUS_DATASOURCE_USERNAME", database.username());
        settings.put("QUARKUS_DATASOURCE_PASSWORD", database.password());
        settings.put("POPFLEET_MASTER_KEY", masterKey);
        settings.put("POPFLEET_ADMIN_USER", admin);
        settings.put("POPFLEET_ADMIN_PASSWORD", adminPassword);
        settings.put("POPFLEET_METRICS_ENABLED", "false");
        settings.put("POPFLEET_ALERTS_ENABLED", "false");
        settings.put("POPFLEET_BACKUP_JOBS_ENABLED", "false");
        settings.put("POPFLEET_RUNS_LOOPBACK_ONLY", "true");
        settings.put("POPFLEET_RUNS_HEARTBEAT_INTERVAL", "1s");
        settings.put("POPFLEET_RUNS_POLL_INTERVAL", "1s");
        // Every controller opens a session to every node: the classic curve keeps those thousands of handshakes
        // cheap on a 2-core runner (the post-quantum default is the SSH tests' business, not this one's).
        settings.put("POPFLEET_SSH_KEX_ORDER", "curve25519-sha256");
        return settings;
    }

    /**
     * Starts a controller on {@code port} without waiting for it: for a start that is meant to fail.
     *
     * @param settings environment for this controller on top of the cluster's (database, key, admin)
     */
    static ControllerProcess launch(String name, Path jar, Path workDir, Map<String, String> settings, int port) {
        try {
            Path dataDir = Files.createDirectories(workDir.resolve(name));
            Path log = workDir.resolve(name + ".log");
            List<String> command = new ArrayList<>(List.of(java(), "-Xmx512m", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            Map<String, String> env = builder.environment();
            // Only what this test sets: a developer's own POPFLEET_*/QUARKUS_* must not leak into the cluster.
            env.keySet().removeIf(key -> key.startsWith("POPFLEET_") || key.startsWith("QUARKUS_"));
            env.putAll(settings);
            env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
            env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            env.put("POPFLEET_DATA_DIR", dataDir.toString());
            return new ControllerProcess(name, port, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String name() {
        return name;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    /** The prefix of this controller's executor id in {@code run_target.executor} ({@code pid@host/...}). */
    String executorPrefix() {
        return process.pid() + "@";
    }

    boolean alive() {
        return process.isAlive();
    }

    /** {@code kill -9}: no shutdown hook, no last write, connections cut by the kernel. */
    void killHard() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits for the line that tells an operator the controller is ready, then holds it to its word: at that moment
     * the port must already answer (no retry), and later {@code /q/health/ready} must say ready.
     */
    private void awaitReady() {
        String line = "PoP Fleet is ready: http://127.0.0.1:" + port + "/fleet";
        await(name + " says it is ready (log: " + log + ")").atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
                    }
                    return output().contains(line);
                });
        assertThat(answers("/login")).as("%s answers on port %d as soon as it says it is ready", name, port)
                .isTrue();
        await(name + " ready (log: " + log + ")").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                .until(() -> answers("/q/health/ready"));
    }

    /** Everything the controller has printed so far. */
    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the process to end on its own; answers its exit status. */
    int awaitExit(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " still runs after " + limit + "; see " + log);
        }
        return process.exitValue();
    }

    /** Whether {@code path} answers 200 or, for a page, any answer at all other than a server error. */
    private boolean answers(String path) {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return path.startsWith("/q/") ? response.statusCode() == 200 : response.statusCode() < 500;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A normal stop (SIGTERM), falling back to SIGKILL when it hangs. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
