package io.popfleet.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import io.popfleet.database.EmbeddedPostgres;


/**
 * Fleet-scale console benchmark: imports N nodes through the API into a controller on its own embedded
 * PostgreSQL, seeds what a month of monitoring leaves behind ({@link ConsoleSeed}: status, history, backups,
 * alerts, runs over the whole fleet), then times every console page and the API behind it. Reports the
 * controller's own time (its Server-Timing header) and the client's, as medians and 95th percentiles.
 *
 * <pre>
 * ./mvnw -B -q package -DskipTests
 * ./mvnw -B -q org.codehaus.mojo:exec-maven-plugin:3.5.1:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.popfleet.bench.FleetQueryBenchmark -Dexec.args="10000 200"
 * </pre>
 *
 * Everything runs on 127.0.0.1. Not a test: nothing here asserts a time.
 */
public final class FleetQueryBenchmark {

    private static final List<String> QUERIES = List.of(
            "/api/v1/nodes?size=100",
            "/api/v1/nodes?size=100&page=57",
            "/api/v1/nodes?size=100&sort=host&direction=desc",
            "/api/v1/nodes?size=100&group=g7",
            "/api/v1/nodes?size=100&tag=tier=gold",
            "/api/v1/nodes?size=100&q=pop-12",
            "/api/v1/nodes?size=500",
            "/api/v1/groups",
            "/fleet",
            "/fleet?q=pop-77&group=g3",
            "/leaderboard",
            "/leaderboard?sort=points&page=50",
            "/api/v1/leaderboard?sort=egress&size=100",
            "/api/v1/metrics/fleet",
            "/drift",
            "/drift?kind=version",
            "/api/v1/drift?limit=500",
            "/api/v1/alerts",
            "/runs",
            "/runs/" + ConsoleSeed.FIRST_RUN,
            "/runs/" + ConsoleSeed.FIRST_RUN + "/targets?state=failed",
            "/api/v1/runs/" + ConsoleSeed.FIRST_RUN + "/targets?size=100&page=50",
            "/nodes/{node}",
            "/api/v1/metrics/nodes/{node}?days=7",
            "/runs/new");

    private FleetQueryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("build first: ./mvnw -B package -DskipTests");
        }
        Path dir = Files.createTempDirectory("popfleet-bench");
        int port = BenchController.freePort();
        Process controller = null;
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(dir, false)) {
            ProcessBuilder builder = new ProcessBuilder("java", "-Xmx1g", "-jar", jar.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("controller.log").toFile());
            builder.environment().put("QUARKUS_DATASOURCE_JDBC_URL", pg.jdbcUrl());
            builder.environment().put("QUARKUS_DATASOURCE_USERNAME", pg.username());
            builder.environment().put("QUARKUS_DATASOURCE_PASSWORD", pg.password());
            builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
            builder.environment().put("POPFLEET_DATA_DIR", dir.toString());
            String password = io.popfleet.security.Secrets.password();
            builder.environment().put("POPFLEET_ADMIN_PASSWORD", password);
            // The inventory below is made up: nothing may try to reach it. Loopback addresses, and no polling.
            builder.environment().put("POPFLEET_METRICS_ENABLED", "false");
            builder.environment().put("POPFLEET_RUNS_EXECUTOR_ENABLED", "false");
            builder.environment().put("POPFLEET_RUNS_LOOPBACK_ONLY", "true");
            controller = builder.start();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String base = "http://127.0.0.1:" + port;
            BenchController.awaitReady(http, base, Duration.ofSeconds(90));
            String auth = "Bearer " + BenchLogin.token(http, base, password);

            long importStart = System.nanoTime();
            HttpResponse<String> imported = http.send(HttpRequest.newBuilder(URI.create(base
                    + "/api/v1/inventory/import/apply?format=yaml"))
                    .header("Content-Type", "application/yaml").header("Authorization", auth)
                    .POST(HttpRequest.BodyPublishers.ofString(inventory(nodes))).build(),
                    HttpResponse.BodyHandlers.ofString());
            double importSeconds = (System.nanoTime() - importStart) / 1e9;
            if (imported.statusCode() != 200) {
                throw new IllegalStateException("import failed: " + imported.body());
            }
            System.out.printf(Locale.ROOT, "import of %,d nodes (YAML, through the API, one transaction): %.2f s%n",
                    nodes, importSeconds);
            String node = Long.toString(ConsoleSeed.seed(pg.jdbcUrl(), pg.username(), pg.password()));
            System.out.printf(Locale.ROOT, "%-48s %12s %12s %12s %12s %10s%n", "request (" + requests + " each)",
                    "server p50", "server p95", "client p50", "client p95", "body");
            for (String template : QUERIES) {
                String query = template.replace("{node}", node);
                measure(http, auth, base + query, 30);
                Timings t = measure(http, auth, base + query, requests);
                System.out.printf(Locale.ROOT, "%-48s %9.1f ms %9.1f ms %9.1f ms %9.1f ms %7d kB%n", query,
                        t.server().p(50), t.server().p(95), t.client().p(50), t.client().p(95), t.bytes() / 1000);
            }
        } finally {
            if (controller != null) {
                controller.destroy();
                controller.waitFor();
            }
            io.popfleet.testing.TestFiles.deleteRecursively(dir);
        }
    }

    private record Sample(List<Double> values) {
        double p(int percentile) {
            List<Double> sorted = new ArrayList<>(values);
            Collections.sort(sorted);
            int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
            return sorted.get(Math.max(0, index));
        }
    }

    private record Timings(Sample server, Sample client, long bytes) {
    }

    private static Timings measure(HttpClient http, String auth, String url, int count)
            throws IOException, InterruptedException {
        List<Double> server = new ArrayList<>();
        List<Double> client = new ArrayList<>();
        long bytes = 0;
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth).GET().build();
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            client.add((System.nanoTime() - start) / 1e6);
            bytes = response.body().length;
            if (response.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + response.statusCode());
            }
            String timing = response.headers().firstValue("Server-Timing").orElse("app;dur=NaN");
            server.add(Double.parseDouble(timing.substring(timing.indexOf("dur=") + 4)));
        }
        return new Timings(new Sample(server), new Sample(client), bytes);
    }

    static String inventory(int nodes) {
        StringBuilder file = new StringBuilder("version: 1\ngroups:\n");
        for (int g = 0; g < 20; g++) {
            file.append("  g").append(g).append(":\n");
        }
        file.append("nodes:\n");
        String[] tiers = {"gold", "silver", "bronze"};
        for (int i = 0; i < nodes; i++) {
            file.append("  - {name: pop-").append(i).append(", host: 127.").append(1 + i / 62_500).append('.')
                    .append(i / 250 % 250).append('.').append(i % 250 + 1).append(", region: r").append(i % 7)
                    .append(", groups: [g").append(i % 20).append(", g").append((i + 7) % 20)
                    .append("], tags: [tier=").append(tiers[i % 3]).append(", n=").append(i).append("]}\n");
        }
        return file.toString();
    }
}
