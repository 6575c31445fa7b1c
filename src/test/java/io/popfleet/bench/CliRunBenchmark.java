package io.popfleet.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;


/**
 * {@code popfleet run status --wait} over N simulated nodes, timed from the command line's start (a fresh JVM, as
 * a shell starts it) to its last result line and its exit, against the same run started through the API and
 * followed over the event stream as the console's run page does (start to the stream's end, every node's result
 * then read). Same controller, same fleet, as {@link RunPipelineBenchmark} starts them; rounds alternate.
 *
 * <pre>
 * ./mvnw -B -q package -DskipTests
 * ./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.popfleet.bench.CliRunBenchmark 1000 3
 * </pre>
 *
 * Arguments: {@code <nodes> <rounds>}. Not a test: nothing here asserts a time.
 */
public final class CliRunBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CliRunBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int nodes = Integer.parseInt(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path cli;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            cli = files.filter(f -> f.getFileName().toString().endsWith("-cli.jar")).findFirst().orElse(null);
        }
        if (cli == null) {
            throw new IllegalStateException("build first: ./mvnw -B package -DskipTests");
        }
        try (BenchStage stage = BenchStage.of("popfleet-cli-bench", nodes).start()) {
            HttpClient http = stage.http;
            String base = stage.base;
            String token = stage.token;
            String auth = stage.auth();
            stage.register();
            // One cold run first: the tool is uploaded to every node and the sessions open; not measured.
            api(http, base, auth);

            System.out.printf(Locale.ROOT, "%d nodes, load: %s%n", nodes, Files.readString(Path.of("/proc/loadavg"))
                    .strip());
            System.out.printf(Locale.ROOT, "%-34s %10s %14s %10s %8s%n", "round", "wall", "last result", "exit",
                    "results");
            for (int round = 1; round <= rounds; round++) {
                api(http, base, auth).print("API + event stream #" + round);
                cli(cli, base, token, "table").print("popfleet run status --wait #" + round);
                cli(cli, base, token, "jsonl").print("  ... --output jsonl #" + round);
            }
            stage.succeeded();
        }
    }

    /** Seconds from the start to the last node's result, to the end, and the results seen. */
    private record Timing(double lastResult, double exit, int results) {

        void print(String name) {
            System.out.printf(Locale.ROOT, "%-34s %8.2f s %12.2f s %8.2f s %8d%n", name, exit, lastResult,
                    exit - lastResult, results);
        }
    }

    /** As the console: start the run, follow its events to the end, then read every node's result. */
    private static Timing api(HttpClient http, String base, String auth) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/runs"))
                .header("Content-Type", "application/json").header("Authorization", auth)
                .POST(HttpRequest.BodyPublishers.ofString("{\"operation\":\"status\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("run not started: " + created.statusCode() + " " + created.body());
        }
        long id = JSON.readTree(created.body()).get("id").asLong();
        long last = start;
        HttpResponse<Stream<String>> events = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/runs/" + id
                + "/events")).header("Authorization", auth).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines());
        int finished = 0;
        try (Stream<String> lines = events.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.startsWith("data:") && line.contains("\"type\":\"target\"")
                        && (line.contains("\"state\":\"ok\"") || line.contains("\"state\":\"failed\""))) {
                    finished++;
                    last = System.nanoTime();
                }
            }
        }
        int results = 0;
        for (int page = 0; results < finished; page++) {
            JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/runs/" + id
                    + "/targets?size=500&page=" + page)).header("Authorization", auth).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            if (targets.path("items").isEmpty()) {
                break;
            }
            results += targets.path("items").size();
        }
        long end = System.nanoTime();
        return new Timing((last - start) / 1e9, (end - start) / 1e9, results);
    }

    /** The command line in its own JVM, as bin/popfleet starts it; the time its last result line arrives. */
    private static Timing cli(Path jar, String base, String token, String output) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-jar", jar.toString(),
                "run", "status", "--wait", "--output", output));
        long start = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("POPFLEET_URL", base);
        builder.environment().put("POPFLEET_TOKEN", token);
        Process process = builder.start();
        long last = start;
        int results = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("{\"node\"") || line.startsWith("ok ") || line.startsWith("failed ")) {
                    results++;
                    last = System.nanoTime();
                }
            }
        }
        int code = process.waitFor();
        long end = System.nanoTime();
        if (code != 0) {
            throw new IllegalStateException("popfleet exited " + code);
        }
        return new Timing((last - start) / 1e9, (end - start) / 1e9, results);
    }
}
