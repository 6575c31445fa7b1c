package io.popfleet.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.popfleet.database.EmbeddedPostgres;

import static org.awaitility.Awaitility.await;

/**
 * A rollout of N simulated nodes as an operator runs it: the packaged controller in its own JVM on an embedded
 * PostgreSQL, the nodes in another JVM ({@link FleetServerMain} in {@code rollout} mode: each node keeps its own
 * version, the releases shipped to it and a log of its updates; an update takes the simulated update time, a health
 * read 0.2 s). The release is registered by URL (the controller fetches it from a server in this JVM on
 * 127.0.0.1), then one rollout in batches of 10 % (no canary, no per-region limit) with a minimum healthy time, so
 * every node passes the health gate.
 *
 * <p>The benchmark reads {@code rollout_node} every 250 ms: per node the first moment it was seen shipping,
 * updating, gating and healthy; per batch the wall time and the mean per node in each phase (shipping the binary,
 * the update over SSH, the health gate including the minimum healthy time). It reads the controller's CPU (/proc),
 * its peak threads and peak heap, the update and health runs' time on the nodes (their targets' start to finish),
 * and finally asks the nodes for their own logs: every node must have received the binary exactly once and been
 * updated exactly once, and run the new version.
 *
 * <pre>
 * ./mvnw -B -q package -DskipTests
 * ./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.popfleet.bench.RolloutBenchmark 1000
 * </pre>
 *
 * Arguments: {@code <nodes> [--update-seconds 2] [--min-healthy-seconds 5] [--binary-kib 1024]
 * [--tick 2s] [--stage-ahead true]}. Everything runs on 127.0.0.0/8. Not a test: nothing here asserts a time.
 */
public final class RolloutBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OLD = "0.2.7";
    private static final String NEW = "0.2.8";
    private static final List<String> STEPS = List.of("pending", "shipping", "shipped", "updating", "gating",
            "checking", "healthy");

    private RolloutBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int nodes = Integer.parseInt(args[0]);
        double updateSeconds = 2;
        int minHealthy = 5;
        int binaryKib = 1024;
        String tick = "2s";
        boolean stageAhead = true;
        for (int i = 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--update-seconds" -> updateSeconds = Double.parseDouble(args[i + 1]);
                case "--min-healthy-seconds" -> minHealthy = Integer.parseInt(args[i + 1]);
                case "--binary-kib" -> binaryKib = Integer.parseInt(args[i + 1]);
                case "--tick" -> tick = args[i + 1];
                case "--stage-ahead" -> stageAhead = Boolean.parseBoolean(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        byte[] binary = new byte[binaryKib * 1024];
        new Random(15).nextBytes(binary);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(binary));

        BenchStage.Plan plan = BenchStage.of("popfleet-rollout", nodes).fleet("rollout", List.of(
                Long.toString(Math.round(updateSeconds * 1000)), sha, NEW, OLD))
                .setting("POPFLEET_ROLLOUT_FETCH_ALLOW_HTTP", "true").setting("POPFLEET_ROLLOUT_TICK_INTERVAL", tick)
                .setting("POPFLEET_ROLLOUT_STAGE_AHEAD", Boolean.toString(stageAhead));
        HttpServer releaseServer = null;
        try (BenchStage stage = plan.start()) {
            HttpClient http = stage.http;
            String base = stage.base;
            String auth = stage.auth();
            EmbeddedPostgres pg = stage.pg;
            Process controller = stage.controller;
            Path dir = stage.dir;
            RunPipelineBenchmark.SimulatedFleet fleet = stage.fleet;
            stage.register();

            releaseServer = serve(binary);
            String url = "http://127.0.0.1:" + releaseServer.getAddress().getPort() + "/pop-" + NEW;
            JsonNode release = post(http, base, auth, "/api/v1/releases/fetch", Map.of("version", NEW, "url", url,
                    "sha256", sha), 201);
            System.out.printf(Locale.ROOT, "release %s registered by URL: %d bytes, sha256 %s%n", NEW,
                    release.path("sizeBytes").asLong(), release.path("sha256").asText());

            Map<String, Object> strategy = new LinkedHashMap<>();
            strategy.put("order", "name");
            strategy.put("canary", "0");
            strategy.put("batches", "10%");
            strategy.put("maxPerRegion", 0);
            strategy.put("failureBudget", "0");
            strategy.put("healthyDeadlineSeconds", 60);
            strategy.put("minHealthyTimeSeconds", minHealthy);
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("version", NEW);
            request.put("names", java.util.stream.IntStream.range(0, nodes).mapToObj(i -> "sim-" + i).toList());
            request.put("strategy", strategy);

            long pid = controller.pid();
            long cpuBefore = RunPipelineBenchmark.cpuTicks(pid);
            long start = System.nanoTime();
            JsonNode rollout = post(http, base, auth, "/api/v1/rollouts", request, 201);
            long id = rollout.path("id").asLong();
            Sampler sampler = new Sampler(pg, id, start);
            int peakThreads = 0;
            double peakHeap = 0;
            long lastHeap = 0;
            String state;
            while (true) {
                sampler.sample();
                peakThreads = Math.max(peakThreads, RunPipelineBenchmark.threads(pid));
                if (System.nanoTime() - lastHeap > 2_000_000_000L) {
                    peakHeap = Math.max(peakHeap, RunPipelineBenchmark.heapUsed(http, base, auth));
                    lastHeap = System.nanoTime();
                }
                state = get(http, base, auth, "/api/v1/rollouts/" + id).path("state").asText();
                if (!state.equals("running")) {
                    break;
                }
                Thread.sleep(250); // the sampling period
            }
            sampler.sample();
            double wall = (System.nanoTime() - start) / 1e9;
            double cpu = (RunPipelineBenchmark.cpuTicks(pid) - cpuBefore)
                    / (double) RunPipelineBenchmark.TICKS_PER_SECOND;
            peakHeap = Math.max(peakHeap, RunPipelineBenchmark.heapUsed(http, base, auth));

            System.out.printf(Locale.ROOT, "%d nodes, %d batches, update %.1f s on the node, min healthy %d s,"
                    + " tick %s, stage ahead %s, java %s; load before: %s%n", nodes, rollout.path("batches").asInt(),
                    updateSeconds, minHealthy, tick, stageAhead, System.getProperty("java.version"),
                    Files.readString(Path.of("/proc/loadavg")).strip());
            System.out.printf(Locale.ROOT, "rollout %s in %.1f s wall; controller CPU %.1f s (%.1f ms per node),"
                    + " peak threads %d, peak heap %.0f MiB%n", state, wall, cpu, cpu * 1000 / nodes, peakThreads,
                    peakHeap / 1048576.0);
            sampler.report();
            runTimes(pg, id);
            verdict(fleet, dir, nodes);
            stage.succeeded();
        } finally {
            if (releaseServer != null) {
                releaseServer.stop(0);
            }
        }
    }

    /** The release, as a download server would hand it out. */
    private static HttpServer serve(byte[] binary) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/pop-" + NEW, exchange -> {
            try (exchange) {
                exchange.sendResponseHeaders(200, binary.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(binary);
                }
            }
        });
        server.start();
        return server;
    }

    /** Each node's first sighting in each step, from {@code rollout_node} read every sampling period. */
    private static final class Sampler {
        private final EmbeddedPostgres pg;
        private final long rollout;
        private final long start;
        private final Map<String, Integer> batchOf = new HashMap<>();
        private final Map<String, double[]> firstAtStep = new HashMap<>();
        private final Map<String, String> last = new HashMap<>();

        Sampler(EmbeddedPostgres pg, long rollout, long start) {
            this.pg = pg;
            this.rollout = rollout;
            this.start = start;
        }

        void sample() throws Exception {
            double now = (System.nanoTime() - start) / 1e9;
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
                    PreparedStatement s = c.prepareStatement("select node_name, batch, state from rollout_node"
                            + " where rollout_id = ? and batch is not null")) {
                s.setLong(1, rollout);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        String node = r.getString(1);
                        batchOf.put(node, r.getInt(2));
                        last.put(node, r.getString(3));
                        int step = STEPS.indexOf(r.getString(3));
                        double[] first = firstAtStep.computeIfAbsent(node, n -> {
                            double[] never = new double[STEPS.size()];
                            java.util.Arrays.fill(never, Double.NaN);
                            return never;
                        });
                        // a step passed between two samples counts as reached when a later one is seen
                        for (int i = 0; i <= step; i++) {
                            if (Double.isNaN(first[i])) {
                                first[i] = now;
                            }
                        }
                    }
                }
            }
        }

        void report() {
            Map<String, Integer> endStates = new TreeMap<>();
            last.values().forEach(state -> endStates.merge(state, 1, Integer::sum));
            System.out.println("end states: " + endStates);
            Map<Integer, List<String>> batches = new TreeMap<>();
            batchOf.forEach((node, batch) -> batches.computeIfAbsent(batch, b -> new ArrayList<>()).add(node));
            System.out.println("| batch | nodes | started | wall | ship (mean/node) | update over SSH (mean/node) |"
                    + " health gate (mean/node) | gap before |");
            System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
            double previousEnd = 0;
            double[] totals = new double[3];
            for (Map.Entry<Integer, List<String>> batch : batches.entrySet()) {
                double begin = Double.MAX_VALUE;
                double end = 0;
                double[] sums = new double[3];
                for (String node : batch.getValue()) {
                    double[] at = firstAtStep.get(node);
                    begin = Math.min(begin, at[1]);
                    end = Math.max(end, at[6]);
                    sums[0] += at[3] - at[1];
                    sums[1] += at[4] - at[3];
                    sums[2] += at[6] - at[4];
                }
                int n = batch.getValue().size();
                for (int i = 0; i < 3; i++) {
                    totals[i] += sums[i];
                }
                System.out.printf(Locale.ROOT, "| %d | %d | %.1f s | %.1f s | %.2f s | %.2f s | %.2f s | %.1f s |%n",
                        batch.getKey(), n, begin, end - begin, sums[0] / n, sums[1] / n, sums[2] / n,
                        begin - previousEnd);
                previousEnd = end;
            }
            double all = totals[0] + totals[1] + totals[2];
            System.out.printf(Locale.ROOT, "node-time: shipping %.0f s (%.0f %%), update over SSH %.0f s (%.0f %%),"
                    + " health gate %.0f s (%.0f %%); sampled every 250 ms%n", totals[0], 100 * totals[0] / all,
                    totals[1], 100 * totals[1] / all, totals[2], 100 * totals[2] / all);
        }
    }

    /** The rollout's runs as the nodes lived them: each target's start to finish, per operation. */
    private static void runTimes(EmbeddedPostgres pg, long rollout) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
                PreparedStatement s = c.prepareStatement("select r.operation, count(*), count(*) filter (where"
                        + " t.state = 'ok'), avg(extract(epoch from t.finished_at - t.started_at)),"
                        + " max(extract(epoch from t.finished_at - t.started_at)),"
                        + " avg(extract(epoch from t.started_at - r.created_at)) from run r join run_target t"
                        + " on t.run_id = r.id where r.started_by = ? group by 1 order by 1")) {
            s.setString(1, "rollout-" + rollout);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    System.out.printf(Locale.ROOT, "runs %-8s %5d targets, %5d ok, on the node mean %.2f s max"
                            + " %.2f s, queued mean %.2f s%n", r.getString(1), r.getLong(2), r.getLong(3),
                            r.getDouble(4), r.getDouble(5), r.getDouble(6));
                }
            }
        }
    }

    /** The nodes' own records: the binary received once, one update, the new version, on every node. */
    private static void verdict(RunPipelineBenchmark.SimulatedFleet fleet, Path dir, int nodes) throws IOException {
        for (Process process : fleet.processes()) {
            process.getOutputStream().write("dump\n".getBytes(StandardCharsets.US_ASCII));
            process.getOutputStream().flush();
        }
        int first = 0;
        int onceShipped = 0;
        int onceUpdated = 0;
        int onNew = 0;
        Map<String, Integer> odd = new TreeMap<>();
        for (Process ignored : fleet.processes()) {
            Path file = dir.resolve("rollout-nodes-" + first + ".txt");
            await("the nodes' own logs").atMost(Duration.ofSeconds(30)).until(() -> Files.exists(file));
            for (String line : Files.readAllLines(file)) {
                String[] fields = line.split(" ", 4);
                boolean shipped = fields[2].equals("1");
                boolean updated = fields.length > 3 && fields[3].equals("update");
                onceShipped += shipped ? 1 : 0;
                onceUpdated += updated ? 1 : 0;
                onNew += fields[1].equals(NEW) ? 1 : 0;
                if (!shipped || !updated || !fields[1].equals(NEW)) {
                    odd.merge("version " + fields[1] + ", shipped " + fields[2] + "x, log ["
                            + (fields.length > 3 ? fields[3] : "") + "]", 1, Integer::sum);
                }
            }
            first += RunPipelineBenchmark.NODES_PER_PROCESS;
        }
        System.out.printf(Locale.ROOT, "nodes' own logs: %d/%d received the binary exactly once, %d/%d updated"
                + " exactly once, %d/%d on %s%s%n", onceShipped, nodes, onceUpdated, nodes, onNew, nodes, NEW,
                odd.isEmpty() ? "" : "; otherwise: " + odd);
    }

    private static JsonNode post(HttpClient http, String base, String auth, String path, Object body, int expected)
            throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json").header("Authorization", auth)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static JsonNode get(HttpClient http, String base, String auth, String path) throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", auth)
                .build(), HttpResponse.BodyHandlers.ofString()).body());
    }
}
