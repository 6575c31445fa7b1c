package io.popfleet.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.popfleet.database.EmbeddedPostgres;
import io.popfleet.security.Secrets;
import io.popfleet.testing.TestFiles;

/**
 * One benchmark's world, the same for every benchmark that measures the packaged controller: a temp directory, an
 * embedded PostgreSQL, the simulated fleet in its own processes, and the controller in its own JVM on loopback with
 * every background job off (only what the benchmark starts is measured), signed in as its first admin. Closing
 * stops all of it; the directory is deleted after a benchmark that {@linkplain #succeeded() succeeded} and kept for
 * a look otherwise. A benchmark stopped by a signal (a timeout) does not reach its {@code finally}, so a shutdown
 * hook stops the processes and PostgreSQL too: nothing outlives it.
 */
final class BenchStage implements AutoCloseable {

    /** What to start: the fleet's mode and arguments, the controller's JVM options and settings. */
    static final class Plan {
        private final Path dir;
        private final int nodes;
        private String fleetMode = "status";
        private List<String> fleetArguments = List.of();
        private final List<String> jvm = new ArrayList<>(List.of("-Xmx1g"));
        private final Map<String, String> settings = new LinkedHashMap<>();
        private Duration readyWithin = Duration.ofSeconds(180);

        private Plan(Path dir, int nodes) {
            this.dir = dir;
            this.nodes = nodes;
        }

        /** The benchmark's directory, before anything starts (for files the fleet needs). */
        Path dir() {
            return dir;
        }

        Plan fleet(String mode, List<String> arguments) {
            fleetMode = mode;
            fleetArguments = List.copyOf(arguments);
            return this;
        }

        /** JVM options for the controller, after the default {@code -Xmx1g} (a later -Xmx wins). */
        Plan jvm(List<String> options) {
            jvm.addAll(options);
            return this;
        }

        /** A controller setting as an environment variable ({@code POPFLEET_…}). */
        Plan setting(String variable, String value) {
            settings.put(variable, value);
            return this;
        }

        BenchStage start() throws IOException {
            return new BenchStage(this);
        }
    }

    final Path dir;
    final EmbeddedPostgres pg;
    final RunPipelineBenchmark.SimulatedFleet fleet;
    final Process controller;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final String base;
    final String token;
    private final int nodes;
    private boolean succeeded;

    /** Plans a stage of {@code nodes} simulated nodes in a new temp directory named after the benchmark. */
    static Plan of(String name, int nodes) throws IOException {
        if (!Files.exists(controllerJar())) {
            throw new IllegalStateException("build first: ./mvnw -B package -DskipTests");
        }
        return new Plan(Files.createTempDirectory(name), nodes);
    }

    static Path controllerJar() {
        return Path.of("target/quarkus-app/quarkus-run.jar");
    }

    private BenchStage(Plan plan) throws IOException {
        this.dir = plan.dir;
        this.nodes = plan.nodes;
        this.pg = EmbeddedPostgres.start(dir.resolve("pg"), false);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroy);
            pg.close();
        }));
        RunPipelineBenchmark.SimulatedFleet startedFleet = null;
        Process startedController = null;
        try {
            startedFleet = RunPipelineBenchmark.startFleet(plan.nodes, dir, plan.fleetMode, plan.fleetArguments);
            int port = BenchController.freePort();
            List<String> command = new ArrayList<>(List.of("java"));
            command.addAll(plan.jvm);
            command.addAll(List.of("-jar", controllerJar().toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("controller.log").toFile());
            Map<String, String> env = builder.environment();
            env.put("QUARKUS_DATASOURCE_JDBC_URL", pg.jdbcUrl());
            env.put("QUARKUS_DATASOURCE_USERNAME", pg.username());
            env.put("QUARKUS_DATASOURCE_PASSWORD", pg.password());
            env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            env.put("POPFLEET_DATA_DIR", dir.resolve("data").toString());
            String password = Secrets.password();
            env.put("POPFLEET_ADMIN_PASSWORD", password);
            env.put("POPFLEET_METRICS_ENABLED", "false");
            env.put("POPFLEET_ALERTS_ENABLED", "false");
            env.put("POPFLEET_BACKUP_JOBS_ENABLED", "false");
            env.put("POPFLEET_RUNS_LOOPBACK_ONLY", "true");
            env.putAll(plan.settings);
            startedController = builder.start();
            this.base = "http://127.0.0.1:" + port;
            BenchController.awaitReady(http, base, plan.readyWithin);
            this.token = BenchLogin.token(http, base, password);
        } catch (IOException | RuntimeException e) {
            stop(startedController, startedFleet);
            pg.close();
            throw e;
        } catch (Exception e) {
            stop(startedController, startedFleet);
            pg.close();
            throw new IllegalStateException("the benchmark's controller did not start: " + e, e);
        }
        this.fleet = startedFleet;
        this.controller = startedController;
    }

    /** The {@code Authorization} header of the admin the controller was started with. */
    String auth() {
        return "Bearer " + token;
    }

    /** Imports the fleet's key, host keys and inventory through the API, as an operator would. */
    void register() throws Exception {
        RunPipelineBenchmark.register(http, base, auth(), dir, nodes);
    }

    /** The benchmark got through: its directory may go. */
    void succeeded() {
        succeeded = true;
    }

    @Override
    public void close() throws InterruptedException {
        stop(controller, fleet);
        pg.close();
        if (succeeded) {
            TestFiles.deleteRecursively(dir);
        } else {
            System.err.println("kept for a look: " + dir);
        }
    }

    private static void stop(Process controller, RunPipelineBenchmark.SimulatedFleet fleet) {
        if (controller != null) {
            controller.destroy();
            try {
                controller.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (fleet != null) {
            fleet.stop();
        }
    }
}
