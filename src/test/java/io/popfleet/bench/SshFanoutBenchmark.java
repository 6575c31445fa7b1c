package io.popfleet.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.popfleet.ssh.NodeToolBundle;
import io.popfleet.ssh.ScriptShipper;
import io.popfleet.ssh.SshEngine;
import io.popfleet.ssh.SshSettings;
import io.popfleet.testing.TestFiles;

/**
 * Fan-out benchmark of the SSH engine. Either over simulated nodes started in a separate JVM
 * ({@code --simulated 1000}) or over any fleet ({@code --hosts}, {@code --user}, {@code --key},
 * {@code --known-hosts}, {@code --command}). See docs/benchmarks.md for the commands and figures.
 */
public final class SshFanoutBenchmark {

    private SshFanoutBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        SshSettings settings = SshSettings.defaults()
                .withMaxConcurrentConnects(Integer.parseInt(options.getOrDefault("connects", "64")));
        if (options.containsKey("kex")) {
            settings = settings.withKexOrder(Arrays.asList(options.get("kex").split(",")));
        }
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        if (options.containsKey("simulated")) {
            simulated(Integer.parseInt(options.get("simulated")), settings, rounds, options);
        } else if (options.containsKey("hosts")) {
            external(settings, rounds, options);
        } else {
            System.err.println("usage: --simulated N [--connects C] [--rounds R] [--kex a,b] [--tool FILE] [--health false]\n"
                    + "   or: --hosts FILE --user USER --key FILE [--passphrase P] --known-hosts FILE"
                    + " [--command CMD] [--connects C] [--rounds R] [--kex a,b]");
            System.exit(2);
        }
    }

    private static void simulated(int nodes, SshSettings settings, int rounds, Map<String, String> options)
            throws Exception {
        Path dir = Files.createTempDirectory("popfleet-bench");
        Process servers = startServers(nodes, dir);
        try {
            BenchFleet fleet = BenchFleet.simulated(dir.resolve("fleet.txt"), dir.resolve("client_key"), "pop");
            System.out.printf("%d simulated nodes in a separate JVM; controller: %d cores, max heap %d MiB, kex %s,"
                    + " %d concurrent connects%n%n", nodes, Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory() >> 20, settings.kexOrder().get(0),
                    settings.maxConcurrentConnects());
            System.out.println(PhaseReport.header());
            NodeToolBundle tool = tool(options);
            try (SshEngine engine = SshEngine.start(settings, fleet.pins(), fleet.credentials())) {
                ScriptShipper shipper = new ScriptShipper(engine);
                // the first connects also pay for class loading and JIT in both JVMs; the second cold run is
                // what a running controller sees when it opens sessions to the whole fleet
                print(FanOut.run("echo, cold, fresh JVM", fleet.targets(), t -> engine.exec(t, "echo ok")));
                engine.closeSessions();
                print(FanOut.run("echo, cold (new sessions)", fleet.targets(), t -> engine.exec(t, "echo ok")));
                for (int round = 1; round <= rounds; round++) {
                    print(FanOut.run("echo, warm #" + round, fleet.targets(), t -> engine.exec(t, "echo ok")));
                }
                if ("false".equals(options.get("health"))) {
                    return;
                }
                print(FanOut.run("pop health --json, first (ships the tool)", fleet.targets(),
                        t -> shipper.run(t, tool, List.of("health", "--json"), settings.limits())
                                .thenApply(ScriptShipper.ShippedRun::result)));
                for (int round = 1; round <= rounds; round++) {
                    print(FanOut.run("pop health --json, warm #" + round, fleet.targets(),
                            t -> shipper.run(t, tool, List.of("health", "--json"), settings.limits())
                                    .thenApply(ScriptShipper.ShippedRun::result)));
                }
                engine.closeSessions();
                print(FanOut.run("pop health --json, cold", fleet.targets(),
                        t -> shipper.run(t, tool, List.of("health", "--json"), settings.limits())
                                .thenApply(ScriptShipper.ShippedRun::result)));
            }
        } finally {
            servers.getOutputStream().close();
            servers.destroy();
            servers.waitFor();
            TestFiles.deleteRecursively(dir);
        }
    }

    private static void external(SshSettings settings, int rounds, Map<String, String> options) throws Exception {
        BenchFleet fleet = BenchFleet.external(Path.of(options.get("hosts")), Path.of(options.get("known-hosts")),
                Path.of(options.get("key")), options.get("passphrase"), options.getOrDefault("user", "root"));
        String command = options.getOrDefault("command", "echo ok");
        System.out.printf("%d hosts, command %s, %d concurrent connects%n%n", fleet.targets().size(), command,
                settings.maxConcurrentConnects());
        System.out.println(PhaseReport.header());
        try (SshEngine engine = SshEngine.start(settings, fleet.pins(), fleet.credentials())) {
            print(FanOut.run("cold, fresh JVM", fleet.targets(), t -> engine.exec(t, command)));
            engine.closeSessions();
            print(FanOut.run("cold (new sessions)", fleet.targets(), t -> engine.exec(t, command)));
            for (int round = 1; round <= rounds; round++) {
                print(FanOut.run("warm #" + round, fleet.targets(), t -> engine.exec(t, command)));
            }
        }
    }

    /** The real node tool when given ({@code --tool dist/pop}) or bundled; else a stand-in that answers health. */
    private static NodeToolBundle tool(Map<String, String> options) throws IOException {
        if (options.containsKey("tool")) {
            return NodeToolBundle.of(Files.readAllBytes(Path.of(options.get("tool"))));
        }
        return NodeToolBundle.fromClasspath().orElseGet(() -> NodeToolBundle.of((
                "#!/usr/bin/env bash\nset -euo pipefail\n"
                + "printf '{\"schema\":\"popfleet.node/v1\",\"command\":\"%s\",\"ok\":true,\"data\":{\"load\":\"%s\"}}\\n'"
                + " \"$1\" \"$(cut -d' ' -f1 /proc/loadavg)\"\n").getBytes(StandardCharsets.UTF_8)));
    }

    private static Process startServers(int nodes, Path dir) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx2g", "-cp", System.getProperty("java.class.path"),
                FleetServerMain.class.getName(), String.valueOf(nodes), dir.toString())
                .redirectError(dir.resolve("servers.log").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (!"READY".equals(line)) {
            process.destroyForcibly();
            throw new IOException("simulated fleet did not start: " + line + "; see " + dir.resolve("servers.log"));
        }
        return process;
    }

    private static void print(PhaseReport report) {
        System.out.println(report.row());
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        for (int i = 0; i + 1 < rest.size(); i += 2) {
            if (!rest.get(i).startsWith("--")) {
                throw new IllegalArgumentException("expected an option, got " + rest.get(i));
            }
            options.put(rest.get(i).substring(2), rest.get(i + 1));
        }
        return options;
    }
}
