package io.popfleet.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.popfleet.database.EmbeddedPostgres;
import io.popfleet.testing.BackupNodes;

/**
 * A fleet backup, controller side: the packaged controller (its own JVM, embedded PostgreSQL) backs up N simulated
 * nodes (other JVMs, {@link FleetServerMain} in {@code backup} mode): {@code POST /api/v1/backups/runs} runs
 * {@code pop backup} on every node, then pulls each node's archive over SSH, checks, encrypts and stores it. Each
 * node's archive is made from one the real node tool wrote on a pop-sim node ({@link BackupNodes}: the files a real
 * node backs up, about 1.5 KiB compressed, with the node's own identity), so the controller does a real node's
 * work per archive. Measured from the request to the last stored archive: wall time, the controller's CPU (total
 * and per node), PostgreSQL's CPU, the controller's heap and peak threads, the bytes the controller wrote to disk
 * ({@code /proc/PID/io}) and the store holds, and rows written per node.
 *
 * <pre>
 * ./mvnw -B -o -q package -DskipTests
 * ./mvnw -B -o -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.popfleet.bench.BackupBenchmark 1000 2
 * </pre>
 *
 * Arguments: {@code <nodes> [rounds]} (default 2: the first with a fresh controller JVM, no sessions and the node
 * tool uploaded to every node; then warm ones). Everything runs on 127.0.0.0/8. Not a test: nothing here asserts a
 * time.
 */
public final class BackupBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BackupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int nodes = Integer.parseInt(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        BenchStage.Plan plan = BenchStage.of("popfleet-backup-bench", nodes).fleet("backup", List.of());
        Path dir = plan.dir();
        BackupNodes template = BackupNodes.fromRealNode(dir);
        try (BenchStage stage = plan.start()) {
            HttpClient http = stage.http;
            String base = stage.base;
            String auth = stage.auth();
            EmbeddedPostgres pg = stage.pg;
            Process controller = stage.controller;
            stage.register();

            System.out.printf(Locale.ROOT, "%d nodes, controller pid %d, java %s, template archive %d bytes%n",
                    nodes, controller.pid(), System.getProperty("java.version"), template.templateSize());
            System.out.printf(Locale.ROOT, "%-18s %8s %8s %6s %6s %9s %9s %8s %8s %9s %9s %8s %7s%n", "round", "run",
                    "all in", "stored", "failed", "ctrl CPU", "CPU/node", "PG CPU", "rows w/n", "disk w", "store +",
                    "heap", "threads");
            for (int round = 1; round <= rounds; round++) {
                round(http, base, auth, pg, controller.pid(), nodes, dir.resolve("data/backups"),
                        round == 1 ? "cold, fresh JVM" : "warm #" + (round - 1));
            }
            System.out.println("rows: " + rows(pg));
            stage.succeeded();
        }
    }

    private static void round(HttpClient http, String base, String auth, EmbeddedPostgres pg, long pid, int nodes,
            Path store, String name) throws Exception {
        RunPipelineBenchmark.Snapshot before = RunPipelineBenchmark.Snapshot.take(pg, pid);
        long writtenBefore = writeBytes(pid);
        long storeBefore = size(store);
        long start = System.nanoTime();
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/backups/runs"))
                .header("Content-Type", "application/json").header("Authorization", auth)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("backup not started: " + created.statusCode() + " " + created.body());
        }
        long id = JSON.readTree(created.body()).path("run").asLong();
        if (id <= 0) {
            throw new IllegalStateException("no run id in " + created.body());
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        int peakThreads = 0;
        JsonNode run = null;
        double runWall = 0;
        Map<String, Long> pulls;
        while (true) {
            peakThreads = Math.max(peakThreads, RunPipelineBenchmark.threads(pid));
            if (runWall == 0) {
                run = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/runs/" + id))
                        .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString()).body());
                if ("finished".equals(run.path("state").asText())) {
                    runWall = (System.nanoTime() - start) / 1e9;
                }
            }
            pulls = pulls(pg, id);
            long open = pulls.getOrDefault("pending", 0L) + pulls.getOrDefault("pulling", 0L);
            if (runWall > 0 && open == 0) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not done after 30 minutes: run " + run + ", pulls " + pulls);
            }
            Thread.sleep(200); // a client polling, as the console would
        }
        double wall = (System.nanoTime() - start) / 1e9;
        run = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/runs/" + id))
                .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString()).body());
        RunPipelineBenchmark.Snapshot after = RunPipelineBenchmark.Snapshot.take(pg, pid);
        double heapMiB = RunPipelineBenchmark.heapUsed(http, base, auth) / 1048576.0;
        double cpu = (after.controllerTicks() - before.controllerTicks()) / (double) RunPipelineBenchmark.TICKS_PER_SECOND;
        double pgCpu = (after.postgresTicks() - before.postgresTicks()) / (double) RunPipelineBenchmark.TICKS_PER_SECOND;
        System.out.printf(Locale.ROOT,
                "%-18s %6.2f s %6.2f s %6d %6d %7.2f s %6.2f ms %6.2f s %8.1f %6.2f MiB %6.2f MiB %4.0f MiB %7d%n",
                name, runWall, wall, pulls.getOrDefault("stored", 0L), run.path("counts").path("failed").asInt()
                        + pulls.getOrDefault("failed", 0L), cpu, cpu * 1000 / nodes, pgCpu,
                (after.rowsWritten() - before.rowsWritten()) / (double) nodes,
                (writeBytes(pid) - writtenBefore) / 1048576.0, (size(store) - storeBefore) / 1048576.0, heapMiB,
                peakThreads);
        if (run.path("counts").path("failed").asInt() > 0) {
            System.out.println("  run targets failed by kind: " + RunPipelineBenchmark.failureKinds(pg, id));
        }
        if (pulls.getOrDefault("stored", 0L) != nodes) {
            System.out.println("  pulls by state: " + pulls + "; e.g. " + failure(pg, id));
        }
    }

    /** backup_pull rows of a run by state (each queued in its target's transaction: all there once the run ends). */
    private static Map<String, Long> pulls(EmbeddedPostgres pg, long run) throws Exception {
        Map<String, Long> states = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select state, count(*) from backup_pull where run_id = " + run
                        + " group by 1")) {
            while (r.next()) {
                states.put(r.getString(1), r.getLong(2));
            }
        }
        return states;
    }

    private static String failure(EmbeddedPostgres pg, long run) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select failure from backup_pull where run_id = " + run + " and failure"
                        + " is not null limit 1")) {
            return r.next() ? r.getString(1) : "none";
        }
    }

    /** Rows in the tables a backup writes, and the sum of stored_bytes. */
    private static String rows(EmbeddedPostgres pg) throws Exception {
        List<String> counts = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
                Statement s = c.createStatement()) {
            for (String table : List.of("run", "run_target", "backup_pull", "backup_archive", "audit_event")) {
                try (ResultSet r = s.executeQuery("select count(*) from " + table)) {
                    r.next();
                    counts.add(table + " " + r.getLong(1));
                }
            }
            try (ResultSet r = s.executeQuery("select coalesce(sum(size_bytes), 0), coalesce(sum(stored_bytes), 0)"
                    + " from backup_archive")) {
                r.next();
                counts.add("archives " + r.getLong(1) + " B plain, " + r.getLong(2) + " B sealed");
            }
        }
        return String.join(", ", counts);
    }

    /** Bytes the process caused to be written to storage ({@code write_bytes} in /proc/PID/io). */
    private static long writeBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/io"))) {
            if (line.startsWith("write_bytes:")) {
                return Long.parseLong(line.substring(12).trim());
            }
        }
        return 0;
    }

    private static long size(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        }
    }
}
