package io.popfleet.rollout;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.sshd.server.Environment;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

import io.popfleet.testing.FleetNode;
import io.popfleet.testing.InProcessCommand;
import io.popfleet.testing.SshTestFleet;

/**
 * Simulated PoP nodes for rollouts, answered in-process (no bash), each keeping its own record: the binary version
 * it runs, the releases shipped to it, and a log of every update it received. The node tool's protocol is acted
 * out as the controller speaks it: tool and release shipping (hash-checked), {@code update --shipped} (which fails
 * as {@code not_found} without the shipped file, and rolls itself back on a node told never to become healthy),
 * {@code update --rollback} and {@code health}. Each node also counts, per region, how many updates run at the same
 * moment, so a test reads the per-region limit as the nodes lived it. {@code status} reports a steady
 * reputation ({@link #REPUTATION}, components {@link #UPTIME}, {@link #HISTORICAL}, {@link #EGRESS}) unless the
 * node was told to lose some once it runs another version than the one it started on.
 */
public final class RolloutNodes implements SshTestFleet.NodeCommands, AutoCloseable {

    /** What a node was told to do wrong in a rollout. */
    public enum Trouble {
        /** The new binary never becomes healthy: the node tool rolls back by itself ({@code rolled_back}). */
        NEVER_HEALTHY,
        /** The update succeeds, then the node is unhealthy at the health check after the minimum healthy time. */
        SICK_LATER
    }

    public static final double REPUTATION = 0.8;
    public static final double UPTIME = 0.9;
    public static final double HISTORICAL = 0.7;
    public static final double EGRESS = 0.75;

    private static final Pattern PRESENT = Pattern.compile("^\\[ -r \"\\$HOME\"/\\.cache/popfleet/release-([0-9a-f]{64}) \\]$");
    private static final Pattern UPLOAD = Pattern.compile("^set -e; umask 077; .*\\[ \"\\$s\" != ([0-9a-f]{64}) \\].*");

    private final IntFunction<String> regionOf;
    private final IntFunction<Duration> workOf;
    private final IntFunction<Duration> readWorkOf;
    private final Map<Integer, String> versions = new ConcurrentHashMap<>();
    private final Map<Integer, String> previous = new ConcurrentHashMap<>();
    private final Map<Integer, Set<String>> files = new ConcurrentHashMap<>();
    private final Map<Integer, List<String>> updates = new ConcurrentHashMap<>();
    private final Map<Integer, Trouble> troubles = new ConcurrentHashMap<>();
    private final Map<Integer, Double> drops = new ConcurrentHashMap<>();
    private volatile String baseline;
    private final Map<String, AtomicInteger> updatingNow = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> updatingMax = new ConcurrentHashMap<>();
    private final Map<String, String> releases = new ConcurrentHashMap<>();
    private final AtomicInteger uploads = new AtomicInteger();
    private final Map<Integer, AtomicInteger> received = new ConcurrentHashMap<>();
    private final ScheduledExecutorService clock = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "rollout-node-clock");
        thread.setDaemon(true);
        return thread;
    });

    public RolloutNodes(IntFunction<String> regionOf, IntFunction<Duration> workOf) {
        this(regionOf, workOf, workOf);
    }

    /** With {@code readWorkOf} for the {@code health} read, apart from the update's time ({@code workOf}). */
    public RolloutNodes(IntFunction<String> regionOf, IntFunction<Duration> workOf, IntFunction<Duration> readWorkOf) {
        this.regionOf = regionOf;
        this.workOf = workOf;
        this.readWorkOf = readWorkOf;
    }

    /** Every node back on {@code version}, with nothing shipped, no trouble and empty logs. */
    public void reset(int size, String version) {
        versions.clear();
        previous.clear();
        files.clear();
        updates.clear();
        troubles.clear();
        drops.clear();
        baseline = version;
        updatingNow.clear();
        updatingMax.clear();
        uploads.set(0);
        received.clear();
        for (int i = 0; i < size; i++) {
            versions.put(i, version);
        }
    }

    /** The binary a release's sha256 stands for, as its version (the simulated binary "reports" it). */
    public void knowRelease(String sha, String version) {
        releases.put(sha, version);
    }

    public void trouble(int index, Trouble trouble) {
        troubles.put(index, trouble);
    }

    /**
     * Once the node runs another version than the one it started on, its reputation and its uptime component fall
     * by {@code points} (Pipe's view of a node whose new binary serves worse); back on that version, they recover.
     */
    public void dropReputationAfterUpdate(int index, double points) {
        drops.put(index, points);
    }

    public String version(int index) {
        return versions.get(index);
    }

    /** Every change the node received, in order: {@code "update"}, {@code "rollback"} or {@code "restart"}. */
    public List<String> updates(int index) {
        List<String> log = updates.get(index);
        if (log == null) {
            return List.of();
        }
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    public int uploads() {
        return uploads.get();
    }

    /** How many times a release was shipped to this node (kept, hash-checked). */
    public int uploads(int index) {
        AtomicInteger count = received.get(index);
        return count == null ? 0 : count.get();
    }

    /** The most updates that ran at one moment in each region. */
    public Map<String, Integer> maxConcurrentUpdates() {
        Map<String, Integer> max = new java.util.TreeMap<>();
        updatingMax.forEach((region, count) -> max.put(region, count.get()));
        return max;
    }

    @Override
    public Command command(FleetNode node, String command, ExecutorService pumps) {
        return new NodeCommand(node.index(), command, pumps);
    }

    @Override
    public void close() {
        clock.shutdownNow();
    }

    private final class NodeCommand extends InProcessCommand {

        private final int index;
        private final String command;
        private final ExecutorService pumps;

        NodeCommand(int index, String command, ExecutorService pumps) {
            this.index = index;
            this.command = command;
            this.pumps = pumps;
        }

        @Override
        public void start(ChannelSession channel, Environment env) {
            Matcher run = RUN_TOOL.matcher(command);
            Matcher present = PRESENT.matcher(command);
            Matcher upload = UPLOAD.matcher(command);
            Matcher shipTool = UPLOAD_AND_RUN.matcher(command);
            if (shipTool.matches()) {
                // the node tool on stdin, then the operation in the same exec
                pumps.execute(() -> {
                    if (receive(shipTool.group(1), "pop-" + shipTool.group(1), false)) {
                        List<String> arguments = words(shipTool.group(2)).stream().filter(w -> !w.equals("--json"))
                                .toList();
                        operation(arguments.get(0), arguments.subList(1, arguments.size()));
                    }
                });
            } else if (run.matches()) {
                if (!files.getOrDefault(index, Set.of()).contains("pop-" + run.group(1))) {
                    finish(null, "popfleet:tool-missing\n", 197);
                    return;
                }
                List<String> arguments = words(run.group(2)).stream().filter(w -> !w.equals("--json")).toList();
                operation(arguments.get(0), arguments.subList(1, arguments.size()));
            } else if (present.matches()) {
                finish((String) null, null, files.getOrDefault(index, Set.of()).contains("release-" + present.group(1)) ? 0 : 1);
            } else if (upload.matches()) {
                String name = (command.contains("/release-") ? "release-" : "pop-") + upload.group(1);
                pumps.execute(() -> receive(upload.group(1), name, true));
            } else {
                finish(null, "rollout node: unknown command\n", 127);
            }
        }

        private void operation(String operation, List<String> arguments) {
            Duration work = workOf.apply(index);
            switch (operation) {
                case "update" -> update(arguments, work);
                case "health" -> later(readWorkOf.apply(index), () -> answer("health", "{\"healthy\":"
                        + (troubles.get(index) != Trouble.SICK_LATER) + ",\"service\":\"running\","
                        + "\"binary_version\":\"" + versions.get(index) + "\",\"problems\":[]}"));
                case "status" -> later(work, () -> answer("status", status()));
                case "restart" -> {
                    log("restart");
                    later(work, () -> answer(operation, "{}"));
                }
                default -> later(work, () -> answer(operation, "{}"));
            }
        }

        private String status() {
            double drop = baseline != null && !baseline.equals(versions.get(index)) ? drops.getOrDefault(index, 0.0)
                    : 0.0;
            return String.format(java.util.Locale.ROOT, "{\"service\":{\"state\":\"running\",\"healthy\":true},"
                    + "\"reputation\":{\"score\":%.3f,\"components\":{\"uptime\":%.3f,\"historical\":%.3f,"
                    + "\"egress\":%.3f},\"source\":\"binary\"},\"binary\":{\"version\":\"%s\"},\"ports\":[]}",
                    REPUTATION - drop, UPTIME - drop, HISTORICAL, EGRESS, versions.get(index));
        }

        private void update(List<String> arguments, Duration work) {
            String region = regionOf.apply(index);
            log(arguments.contains("--rollback") ? "rollback" : "update");
            if (arguments.contains("--rollback")) {
                later(work, () -> {
                    String back = previous.getOrDefault(index, versions.get(index));
                    previous.put(index, versions.get(index));
                    versions.put(index, back);
                    answer("update", "{\"installed_version\":\"" + back + "\",\"rolled_back\":true,"
                            + "\"changed\":true}");
                });
                return;
            }
            String sha = arguments.get(arguments.indexOf("--sha256") + 1);
            if (!files.getOrDefault(index, Set.of()).contains("release-" + sha)) {
                later(work, () -> fail("update", "not_found", "no such file: release-" + sha, 3));
                return;
            }
            int now = updatingNow.computeIfAbsent(region, key -> new AtomicInteger()).incrementAndGet();
            updatingMax.computeIfAbsent(region, key -> new AtomicInteger()).accumulateAndGet(now, Math::max);
            later(work, () -> {
                updatingNow.get(region).decrementAndGet();
                String target = releases.get(sha);
                if (troubles.get(index) == Trouble.NEVER_HEALTHY) {
                    fail("update", "rolled_back", "update to " + target + " failed (health); rolled back to "
                            + versions.get(index), 10);
                    return;
                }
                previous.put(index, versions.get(index));
                versions.put(index, target);
                answer("update", "{\"installed_version\":\"" + target + "\",\"rolled_back\":false,"
                        + "\"changed\":true}");
            });
        }

        private void log(String what) {
            List<String> log = updates.computeIfAbsent(index, key -> new ArrayList<>());
            synchronized (log) {
                log.add(what);
            }
        }

        private void later(Duration work, Runnable answer) {
            clock.schedule(() -> pumps.execute(answer), work.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void answer(String operation, String data) {
            finish(envelope(operation, true, data, null, "rollout-sim"), null, 0);
        }

        private void fail(String operation, String code, String message, int status) {
            finish(envelope(operation, false, "null", "{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}",
                    "rollout-sim"), null, status);
        }

        /** Keeps the file read from stdin if its hash matches; answers whether it did. */
        private boolean receive(String expectedSha, String name, boolean answer) {
            try {
                String sha = sha256OfStdin(name.startsWith("pop-"));
                if (!sha.equals(expectedSha)) {
                    finish(null, (answer ? "" : "popfleet:upload-failed ") + "hash mismatch: " + sha + "\n", 198);
                    return false;
                }
                files.computeIfAbsent(index, key -> ConcurrentHashMap.newKeySet()).add(name);
                if (name.startsWith("release-")) {
                    uploads.incrementAndGet();
                    received.computeIfAbsent(index, key -> new AtomicInteger()).incrementAndGet();
                }
                if (answer) {
                    finish((String) null, null, 0);
                }
                return true;
            } catch (IOException e) {
                exit.onExit(1, "upload broken: " + e.getMessage());
                return false;
            }
        }
    }
}
