package io.popfleet.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

import org.apache.sshd.server.Environment;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * Simulated nodes that keep their own execution log: every run of the node tool a node receives is written to
 * that node's log before it answers, so a test counts what each node actually ran, independently of what the
 * controller recorded. The nodes speak the controller's shipping protocol (a missing tool is reported, an upload
 * is hash-checked and kept) and answer each operation in-process after a fixed delay, with no bash and no thread
 * held while they "work", so a 1,000-node fleet costs the test little CPU.
 *
 * <p>{@link Fault#DROP_MID_COMMAND} is acted out: the run is logged (the node started it), partial output is
 * sent, and the connection is dropped. Other faults are not simulated here.
 */
public final class RecordingNodes implements SshTestFleet.NodeCommands, AutoCloseable {

    /** One run of the node tool, as the node saw it. */
    public record Execution(String operation, List<String> arguments, Instant at) {
    }

    /** A node's own answers, where they differ from node to node (a backup's archive). */
    public interface PerNode {
        /** The {@code data} (JSON) node {@code index} answers {@code operation} with, or null for the default. */
        default String data(int index, String operation) {
            return null;
        }

        /** What node {@code index} prints for a command that is no run of the tool (a file read), or null. */
        default byte[] output(int index, String command) {
            return null;
        }
    }

    private final Duration work;
    private final Map<String, String> dataByOperation;
    private final boolean keepLogs;
    private final Map<Integer, List<Execution>> logs = new ConcurrentHashMap<>();
    private final Map<Integer, Set<String>> tools = new ConcurrentHashMap<>();
    private volatile PerNode perNode = new PerNode() {
    };
    private final ScheduledExecutorService clock = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "recording-node-clock");
        thread.setDaemon(true);
        return thread;
    });

    /** @param work how long each operation takes on a node before it answers */
    public RecordingNodes(Duration work) {
        this(work, Map.of(), true);
    }

    /**
     * @param dataByOperation the {@code data} object (JSON) an operation answers with, instead of
     *        {@code {"simulated":true}}: a benchmark's nodes answer {@code status} as a real node would, so the
     *        controller does all the work a real answer costs
     * @param keepLogs false for a benchmark: nothing is kept per run, so memory stays flat over many rounds
     */
    public RecordingNodes(Duration work, Map<String, String> dataByOperation, boolean keepLogs) {
        this.work = work;
        this.dataByOperation = Map.copyOf(dataByOperation);
        this.keepLogs = keepLogs;
    }

    /** Answers that depend on the node, asked before the per-operation ones. */
    public RecordingNodes perNode(PerNode answers) {
        perNode = answers;
        return this;
    }

    /** Node {@code index}'s log: every run of the tool it received, oldest first. */
    public List<Execution> executions(int index) {
        List<Execution> log = logs.get(index);
        if (log == null) {
            return List.of();
        }
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /** How often node {@code index} ran {@code operation}. */
    public long count(int index, String operation) {
        return executions(index).stream().filter(execution -> execution.operation().equals(operation)).count();
    }

    /** Empties every node's log (the tools they hold stay, as on a real node). */
    public void clearLogs() {
        logs.clear();
    }

    @Override
    public Command command(FleetNode node, String command, ExecutorService pumps) {
        return new NodeCommand(node, command, pumps);
    }

    @Override
    public void close() {
        clock.shutdownNow();
    }

    private void log(int index, Execution execution) {
        if (!keepLogs) {
            return;
        }
        List<Execution> log = logs.computeIfAbsent(index, key -> new ArrayList<>());
        synchronized (log) {
            log.add(execution);
        }
    }

    private final class NodeCommand extends InProcessCommand {

        private final FleetNode node;
        private final String command;
        private final ExecutorService pumps;

        NodeCommand(FleetNode node, String command, ExecutorService pumps) {
            this.node = node;
            this.command = command;
            this.pumps = pumps;
        }

        @Override
        public void start(ChannelSession channel, Environment env) throws IOException {
            Matcher run = RUN_TOOL.matcher(command);
            if (run.matches()) {
                run(channel, run.group(1), words(run.group(2)));
                return;
            }
            Matcher upload = UPLOAD_AND_RUN.matcher(command);
            if (upload.matches()) {
                // stdin is read until the client closes it: off the I/O thread
                pumps.execute(() -> {
                    if (receive(upload.group(1))) {
                        try {
                            run(channel, upload.group(1), words(upload.group(2)));
                        } catch (IOException e) {
                            exit.onExit(1, "run after upload failed: " + e.getMessage());
                        }
                    }
                });
                return;
            }
            byte[] output = perNode.output(node.index(), command);
            if (output != null) {
                pumps.execute(() -> finish(output, null, 0));
                return;
            }
            finish(null, "recording node: unknown command\n", 127);
        }

        private void run(ChannelSession channel, String sha, List<String> arguments) throws IOException {
            if (!tools.getOrDefault(node.index(), Set.of()).contains(sha)) {
                finish(null, "popfleet:tool-missing\n", 197);
                return;
            }
            List<String> rest = arguments.stream().filter(word -> !word.equals("--json")).toList();
            String operation = rest.isEmpty() ? "" : rest.get(0);
            log(node.index(), new Execution(operation, rest.isEmpty() ? List.of() : rest.subList(1, rest.size()),
                    Instant.now()));
            if (node.has(Fault.DROP_MID_COMMAND)) {
                out.write("partial output\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                channel.getSession().close(true);
                return;
            }
            String answer = envelope(operation, true, Objects.requireNonNullElseGet(
                    perNode.data(node.index(), operation),
                    () -> dataByOperation.getOrDefault(operation, "{\"simulated\":true}")), null, "recording");
            if (work.isZero()) {
                pumps.execute(() -> finish(answer, null, 0));
            } else {
                clock.schedule(() -> pumps.execute(() -> finish(answer, null, 0)), work.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        }

        /** Reads the tool from stdin and keeps it if its hash matches; answers whether it did. */
        private boolean receive(String expectedSha) {
            try {
                String sha = sha256OfStdin(true);
                if (!sha.equals(expectedSha)) {
                    finish(null, "popfleet:upload-failed hash mismatch: " + sha + "\n", 198);
                    return false;
                }
                tools.computeIfAbsent(node.index(), key -> ConcurrentHashMap.newKeySet()).add(sha);
                return true;
            } catch (IOException e) {
                exit.onExit(1, "upload broken: " + e.getMessage());
                return false;
            }
        }
    }
}
