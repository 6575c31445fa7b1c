package io.popfleet.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.popfleet.database.EmbeddedPostgres;


/**
 * The whole run pipeline, controller side: a controller (its own JVM, the packaged jar, on an embedded
 * PostgreSQL) with N simulated nodes (another JVM, {@link FleetServerMain} in {@code status} mode: the node tool's
 * shipping protocol and a real node's {@code status} answer, in-process, so the nodes cost next to nothing) runs
 * {@code status} on every node, started through {@code POST /api/v1/runs} and timed to the run's finish. Per round:
 * wall time, the controller's CPU (its process, from /proc) and PostgreSQL's (every server process), transactions
 * and rows from {@code pg_stat_database}, the controller's heap (its Prometheus gauges) and threads.
 *
 * <p>The first round is cold (a fresh controller JVM, no sessions, the tool uploaded to every node); the others
 * warm (pooled sessions, tool in place). With {@code --cold-gap SECONDS} the controller's sessions idle out
 * ({@code popfleet.ssh.session-idle-timeout} is set below the gap) before one more, "cold (new sessions)", round.
 *
 * <pre>
 * ./mvnw -B -q package -DskipTests
 * ./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.popfleet.bench.RunPipelineBenchmark 1000 4
 * </pre>
 *
 * Arguments: {@code <nodes> <rounds> [--cold-gap SECONDS] [--jfr FILE] [--controller-opts "..."]}. Everything runs
 * on 127.0.0.0/8. Not a test: nothing here asserts a time.
 */
public final class RunPipelineBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private RunPipelineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int nodes = Integer.parseInt(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int coldGap = 0;
        String jfr = null;
        String controllerOpts = "";
        for (int i = 2; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--cold-gap" -> coldGap = Integer.parseInt(args[i + 1]);
                case "--jfr" -> jfr = args[i + 1];
                case "--controller-opts" -> controllerOpts = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<String> jvm = new ArrayList<>();
        if (jfr != null) {
            jvm.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true");
        }
        if (!controllerOpts.isBlank()) {
            jvm.addAll(List.of(controllerOpts.trim().split("\\s+")));
        }
        BenchStage.Plan plan = BenchStage.of("popfleet-pipeline", nodes).jvm(jvm);
        if (coldGap > 0) {
            plan.setting("POPFLEET_SSH_SESSION_IDLE_TIMEOUT", Math.max(1, coldGap / 2) + "s");
        }
        try (BenchStage stage = plan.start()) {
            HttpClient http = stage.http;
            String base = stage.base;
            String auth = stage.auth();
            EmbeddedPostgres pg = stage.pg;
            Process controller = stage.controller;
            stage.register();

            System.out.printf(Locale.ROOT, "%d nodes, controller pid %d, java %s%n", nodes, controller.pid(),
                    System.getProperty("java.version"));
            System.out.printf(Locale.ROOT, "%-26s %8s %5s %7s %10s %9s %9s %8s %9s %9s %8s %7s%n", "round", "wall",
                    "ok", "failed", "ctrl CPU", "CPU/tgt", "PG CPU", "xact/tgt", "rows r/t", "rows w/t", "heap",
                    "threads");
            for (int round = 1; round <= rounds + (coldGap > 0 ? 1 : 0); round++) {
                String name = round == 1 ? "cold, fresh JVM" : "warm #" + (round - 1);
                if (coldGap > 0 && round == rounds + 1) {
                    Thread.sleep(coldGap * 1000L); // a benchmark waits out the idle timeout on purpose
                    name = "cold (new sessions)";
                }
                round(http, base, auth, pg, controller.pid(), nodes, name);
            }
            stage.succeeded();
        }
    }

    private static void round(HttpClient http, String base, String auth, EmbeddedPostgres pg, long pid, int nodes,
            String name) throws Exception {
        Snapshot before = Snapshot.take(pg, pid);
        long start = System.nanoTime();
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/runs"))
                .header("Content-Type", "application/json").header("Authorization", auth)
                .POST(HttpRequest.BodyPublishers.ofString("{\"operation\":\"status\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("run not started: " + created.statusCode() + " " + created.body());
        }
        long id = JSON.readTree(created.body()).get("id").asLong();
        int peakThreads = 0;
        JsonNode run;
        while (true) {
            run = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/runs/" + id))
                    .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString()).body());
            peakThreads = Math.max(peakThreads, threads(pid));
            if ("finished".equals(run.path("state").asText())) {
                break;
            }
            Thread.sleep(100); // a client polling the run, as the console would (SSE aside)
        }
        double wall = (System.nanoTime() - start) / 1e9;
        Snapshot after = Snapshot.take(pg, pid);
        double heapMiB = heapUsed(http, base, auth) / 1048576.0;
        double cpu = (after.controllerTicks() - before.controllerTicks()) / (double) TICKS_PER_SECOND;
        double pgCpu = (after.postgresTicks() - before.postgresTicks()) / (double) TICKS_PER_SECOND;
        System.out.printf(Locale.ROOT, "%-26s %6.2f s %5d %7d %8.2f s %6.2f ms %7.2f s %8.1f %9.1f %9.1f %4.0f MiB %7d%n",
                name, wall, run.path("counts").path("ok").asInt(), run.path("counts").path("failed").asInt(), cpu, cpu * 1000 / nodes,
                pgCpu, (after.commits() - before.commits()) / (double) nodes,
                (after.rowsRead() - before.rowsRead()) / (double) nodes,
                (after.rowsWritten() - before.rowsWritten()) / (double) nodes, heapMiB, peakThreads);
        if (run.path("counts").path("failed").asInt() > 0) {
            System.out.println("  failed by kind: " + failureKinds(pg, id));
        }
    }

    static String failureKinds(EmbeddedPostgres pg, long run) throws Exception {
        StringBuilder kinds = new StringBuilder();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select failure_kind, count(*), min(failure_message) from run_target"
                        + " where run_id = " + run + " and state <> 'ok' group by 1 order by 2 desc")) {
            while (r.next()) {
                kinds.append(r.getString(1)).append(' ').append(r.getLong(2)).append(" (e.g. ")
                        .append(r.getString(3)).append("); ");
            }
        }
        return kinds.toString();
    }

    /** Counters read before and after a round. */
    record Snapshot(long controllerTicks, long postgresTicks, long commits, long rowsRead, long rowsWritten) {

        static Snapshot take(EmbeddedPostgres pg, long pid) throws Exception {
            long commits;
            long read;
            long written;
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
                    Statement s = c.createStatement()) {
                // backends publish their counters at most once a second: let the last ones of the round arrive
                Thread.sleep(2000);
                try (ResultSet r = s.executeQuery("select xact_commit + xact_rollback, tup_fetched,"
                        + " tup_inserted + tup_updated + tup_deleted from pg_stat_database"
                        + " where datname = current_database()")) {
                    r.next();
                    commits = r.getLong(1);
                    read = r.getLong(2);
                    written = r.getLong(3);
                }
            }
            return new Snapshot(cpuTicks(pid), RunPipelineBenchmark.postgresTicks(pg), commits, read, written);
        }
    }

    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
        } catch (IOException e) {
            return 0; // the process just ended
        }
    }

    /** The postmaster and its children: every backend, the checkpointer, the WAL writer. */
    static long postgresTicks(EmbeddedPostgres pg) throws IOException {
        long postmaster = Long.parseLong(Files.readAllLines(pg.dataDir().resolve("postmaster.pid")).get(0).trim());
        long ticks = cpuTicks(postmaster);
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path proc : (Iterable<Path>) procs::iterator) {
                String name = proc.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(proc.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (Long.parseLong(fields[1]) == postmaster) {
                        ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    }
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
        }
        return ticks;
    }

    static int threads(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.substring(8).trim());
            }
        }
        return 0;
    }

    static double heapUsed(HttpClient http, String base, String auth) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/q/metrics")).header("Authorization",
                auth).build(), HttpResponse.BodyHandlers.ofString()).body();
        double heap = 0;
        for (String line : metrics.lines().toList()) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                heap += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return heap;
    }

    /** The controller's view of the fleet: its key, the nodes' pinned host keys, the inventory. */
    static void register(HttpClient http, String base, String auth, Path dir, int nodes) throws Exception {
        String key = Files.readString(dir.resolve("client_key"));
        send(http, auth, base + "/api/v1/ssh/credentials/import", "application/json",
                JSON.writeValueAsString(Map.of("name", BenchFleet.CREDENTIAL, "privateKey", key)), 201);
        StringBuilder knownHosts = new StringBuilder();
        StringBuilder inventory = new StringBuilder("version: 1\nnodes:\n");
        int i = 0;
        for (String line : Files.readAllLines(dir.resolve("fleet.txt"))) {
            String[] fields = line.split(" ", 3);
            knownHosts.append('[').append(fields[0]).append("]:").append(fields[1]).append(' ').append(fields[2])
                    .append('\n');
            inventory.append("  - {name: sim-").append(i++).append(", host: ").append(fields[0]).append(", port: ")
                    .append(fields[1]).append(", user: pop, credential: ").append(BenchFleet.CREDENTIAL).append("}\n");
        }
        if (i != nodes) {
            throw new IllegalStateException("the fleet has " + i + " nodes, not " + nodes);
        }
        send(http, auth, base + "/api/v1/inventory/import/apply?format=yaml", "application/yaml",
                inventory.toString(), 200);
        send(http, auth, base + "/api/v1/ssh/host-keys/import", "text/plain", knownHosts.toString(), 200);
    }

    private static void send(HttpClient http, String auth, String url, String type, String body, int expected)
            throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type)
                .header("Authorization", auth).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    /**
     * The simulated fleet, in processes of at most {@link #NODES_PER_PROCESS} nodes: each node holds a listening
     * socket and a session's, and this machine allows a process 20,000 open files.
     */
    static SimulatedFleet startFleet(int nodes, Path dir) throws IOException {
        return startFleet(nodes, dir, "status", List.of());
    }

    /** The fleet in {@link FleetServerMain}'s {@code mode}, {@code extra} after its own arguments. */
    static SimulatedFleet startFleet(int nodes, Path dir, String mode, List<String> extra) throws IOException {
        List<Process> processes = new ArrayList<>();
        try {
            for (int first = 0; first < nodes; first += NODES_PER_PROCESS) {
                processes.add(startFleetProcess(Math.min(NODES_PER_PROCESS, nodes - first), first, dir, mode,
                        extra));
            }
        } catch (IOException | RuntimeException e) {
            new SimulatedFleet(processes).stop();
            throw e;
        }
        return new SimulatedFleet(processes);
    }

    static final int NODES_PER_PROCESS = 5_000;

    /** The fleet's processes; {@link #stop} closes their stdin, which ends them. */
    record SimulatedFleet(List<Process> processes) {
        void stop() {
            for (Process process : processes) {
                try {
                    process.getOutputStream().close();
                } catch (IOException e) {
                    // ending it anyway
                }
                process.destroy();
            }
            for (Process process : processes) {
                try {
                    process.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static Process startFleetProcess(int nodes, int first, Path dir, String mode, List<String> extra)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // About 0.2 MiB per simulated node (its server, session and buffers), 2 GiB at least.
        String heap = "-Xmx" + Math.max(2, (nodes + 4_999) / 5_000 * 2) + "g";
        Path log = dir.resolve(first == 0 ? "fleet.log" : "fleet-" + first + ".log");
        List<String> command = new ArrayList<>(List.of(java, heap, "-cp", System.getProperty("java.class.path"),
                FleetServerMain.class.getName(), String.valueOf(nodes), dir.toString(), mode, String.valueOf(first)));
        command.addAll(extra);
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!"READY".equals(line)) {
            process.destroyForcibly();
            throw new IOException("simulated fleet did not start: " + line + "; see " + log);
        }
        return process;
    }
}
