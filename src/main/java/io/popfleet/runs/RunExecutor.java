package io.popfleet.runs;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

import io.popfleet.api.FailureKind;
import io.popfleet.inventory.Node;
import io.popfleet.inventory.NodeEndpoints;
import io.popfleet.ops.OperationCatalog;
import io.popfleet.ssh.ExecLimits;
import io.popfleet.ssh.ExecResult;
import io.popfleet.ssh.NodeToolBundle;
import io.popfleet.ssh.NodeToolConfig;
import io.popfleet.ssh.ScriptShipper;
import io.popfleet.ssh.SshEngine;
import io.popfleet.ssh.SshTarget;

/**
 * Claims queued targets from PostgreSQL and runs them on their nodes through the SSH engine, at most
 * {@code popfleet.runs.concurrency} at a time. Threads do not grow with the fleet: the engine's I/O threads carry
 * the SSH work, and one small pool writes results back.
 */
@ApplicationScoped
public class RunExecutor {

    private static final Logger LOG = Logger.getLogger(RunExecutor.class);
    /** Answers stored per transaction: large enough that a fleet's answers cost a few commits, small enough to stay short. */
    static final int WRITE_BATCH = 100;

    /** Fired when a run is planned, so this controller starts at once instead of at its next poll. */
    public record RunPlanned(long runId) {
    }

    @Inject
    TargetClaims claims;

    @Inject
    TargetResults results;

    @Inject
    NodeHolds holds;

    @Inject
    RunsConfig config;

    @Inject
    SshEngine engine;

    @Inject
    OperationCatalog catalog;

    @Inject
    NodeToolConfig nodeTool;

    private final String executorId = ManagementFactory.getRuntimeMXBean().getName() + "/"
            + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicInteger inFlight = new AtomicInteger();
    // The targets this executor holds from claim to stored outcome: the only rows its heartbeat keeps alive.
    private final Set<Long> held = ConcurrentHashMap.newKeySet();
    // Answers from the SSH I/O threads, written back in batches by one writer at a time.
    private final Queue<Completion> completed = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writing = new AtomicBoolean();
    // Results are written off the SSH I/O threads, which must never block on the database.
    private final ExecutorService writers = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "popfleet-run-results");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Optional<NodeToolBundle> bundle;
    private volatile ScriptShipper shipper;

    public String executorId() {
        return executorId;
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** The targets this executor holds now (claimed, running, or being written back). */
    public Set<Long> held() {
        return Set.copyOf(held);
    }

    void onPlanned(@Observes(during = TransactionPhase.AFTER_SUCCESS) RunPlanned planned) {
        writers.execute(this::pollQuietly);
    }

    @Scheduled(every = "${popfleet.runs.poll-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledPoll() {
        poll();
    }

    @Scheduled(every = "${popfleet.runs.heartbeat-interval:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void heartbeatAndSweep() {
        if (!config.executorEnabled()) {
            return;
        }
        claims.heartbeat(executorId, Set.copyOf(held));
        claims.sweepOrphans(config.orphanAfterSeconds());
        claims.finishSettledRuns();
    }

    synchronized void poll() {
        if (!config.executorEnabled()) {
            return;
        }
        int free = config.concurrency() - inFlight.get();
        while (free > 0) {
            List<ClaimedTarget> claimed = claims.claim(executorId, Math.min(free, 100));
            if (claimed.isEmpty()) {
                return;
            }
            claimed.forEach(target -> held.add(target.targetId()));
            dispatch(claimed);
            free = config.concurrency() - inFlight.get();
        }
    }

    /**
     * Starts a batch of claimed targets on their nodes: their nodes read in one query, the ones that may go marked
     * running in one statement. Every way out ends the target: a refusal fails it at once, a throw fails it as
     * internal, and the completion stores the node's answer or, when that cannot be stored, fails it; only when
     * even that write fails does it leave this executor's heartbeat, so the sweep orphans it.
     */
    private void dispatch(List<ClaimedTarget> claimed) {
        Map<Long, SshTarget> nodes;
        try {
            nodes = sshTargets(claimed);
        } catch (RuntimeException e) {
            claimed.forEach(target -> failInController(target, e));
            return;
        }
        Map<Long, String> heldElsewhere;
        try {
            heldElsewhere = holds.refusedAtClaim(claimed);
        } catch (RuntimeException e) {
            claimed.forEach(target -> failInController(target, e));
            return;
        }
        List<ClaimedTarget> ready = new ArrayList<>(claimed.size());
        for (ClaimedTarget target : claimed) {
            try {
                if (heldElsewhere.containsKey(target.targetId())) {
                    results.failedBeforeExec(target.targetId(), FailureKind.NOT_ALLOWED,
                            heldElsewhere.get(target.targetId()));
                    held.remove(target.targetId());
                } else if (refused(target, nodes.get(target.nodeId()))) {
                    held.remove(target.targetId());
                } else {
                    ready.add(target);
                }
            } catch (RuntimeException e) {
                failInController(target, e);
            }
        }
        Set<Long> started;
        try {
            started = results.startedAll(ready.stream().map(ClaimedTarget::targetId).toList(), executorId);
        } catch (RuntimeException e) {
            ready.forEach(target -> failInController(target, e));
            return;
        }
        for (ClaimedTarget target : ready) {
            if (!started.contains(target.targetId())) {
                LOG.warnf("target %d (%s) was swept while this controller held it; not sent", target.targetId(),
                        target.nodeName());
                held.remove(target.targetId());
                continue;
            }
            send(target, nodes.get(target.nodeId()));
        }
    }

    /** Fails a target the controller will not send, with why; answers whether it did. */
    private boolean refused(ClaimedTarget target, SshTarget ssh) {
        if (ssh == null) {
            results.failedBeforeExec(target.targetId(), FailureKind.NOT_FOUND, "node " + target.nodeName()
                    + " is no longer in the inventory");
            return true;
        }
        if (bundle().isEmpty() && shipper().toolFor(ssh).shipped()) {
            results.failedBeforeExec(target.targetId(), FailureKind.NO_TOOL, "this controller was built"
                    + " without the node tool bundle (node-tool/pop); rebuild it with ./mvnw package");
            return true;
        }
        if (config.loopbackOnly() && !LoopbackAddresses.isLoopbackOnly(ssh)) {
            results.failedBeforeExec(target.targetId(), FailureKind.NOT_ALLOWED, "this controller only"
                    + " contacts loopback addresses (popfleet.runs.loopback-only, on with the demo fleet); "
                    + ssh.host() + " was not contacted");
            return true;
        }
        return false;
    }

    /** Hands one running target to the SSH engine; its answer joins the next batch written back. */
    private void send(ClaimedTarget target, SshTarget ssh) {
        inFlight.incrementAndGet();
        try {
            List<String> arguments = new ArrayList<>();
            arguments.add("--json");
            arguments.add(target.operation());
            arguments.addAll(target.arguments());
            ExecLimits limits = engine.settings().limits().withExecTimeout(execTimeout(target));
            // A mutating target waits for this controller's earlier mutation on the same node instead of meeting
            // the node tool's lock (conflict); its exec timeout starts when it gets the node.
            // The completion runs on an SSH I/O thread: it only queues the answer, never touches the database.
            shipper().run(ssh, bundle().orElse(null), arguments, limits, target.mutating())
                    .whenComplete((shipped, error) -> answered(new Completion(target, shipped, error)));
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
            failInController(target, e);
        }
    }

    private void failInController(ClaimedTarget target, RuntimeException e) {
        LOG.errorf(e, "target %d (%s) failed in the controller before it reached the node", target.targetId(),
                target.nodeName());
        try {
            results.failedBeforeExec(target.targetId(), FailureKind.INTERNAL, "the controller failed to"
                    + " start this target (" + e.getClass().getSimpleName() + "); the log has the details");
        } catch (RuntimeException again) {
            LOG.errorf(again, "cannot fail target %d; the orphan sweep will", target.targetId());
        } finally {
            held.remove(target.targetId());
        }
    }

    /**
     * The configured exec timeout covers the connection and the tool's own work; a command that waits on the node
     * by its own option ({@code update --timeout 3600}, {@code start --wait 600}) gets that wait on top, so the
     * controller never gives up on it while the node still works as asked.
     */
    Duration execTimeout(ClaimedTarget target) {
        return Duration.ofSeconds(config.execTimeoutSeconds())
                .plusSeconds(catalog.waitSeconds(target.operation(), target.arguments()));
    }

    /** A node's answer (or the controller's failure to get one), waiting to be written back. */
    private record Completion(ClaimedTarget target, ScriptShipper.ShippedRun shipped, Throwable error) {
    }

    private void answered(Completion completion) {
        completed.add(completion);
        if (writing.compareAndSet(false, true)) {
            writers.execute(this::writeBack);
        }
    }

    /**
     * Writes the queued answers back in batches of up to {@link #WRITE_BATCH}, one transaction each, while any are
     * queued; one writer at a time, so answers that arrive while it writes make the next batch bigger.
     */
    private void writeBack() {
        try {
            while (true) {
                List<Completion> batch = new ArrayList<>();
                for (Completion next = completed.poll(); next != null; next = completed.poll()) {
                    batch.add(next);
                    if (batch.size() == WRITE_BATCH) {
                        break;
                    }
                }
                if (batch.isEmpty()) {
                    writing.set(false);
                    // an answer queued after the last poll above, before the flag dropped, must not wait
                    if (completed.isEmpty() || !writing.compareAndSet(false, true)) {
                        break;
                    }
                    continue;
                }
                write(batch);
                if (inFlight.get() < config.concurrency()) {
                    pollQuietly();
                }
            }
        } catch (RuntimeException e) {
            writing.set(false);
            LOG.error("writing answers back failed; the next answer retries", e);
        }
    }

    private void write(List<Completion> batch) {
        List<TargetResults.Answered> answers = new ArrayList<>(batch.size());
        for (Completion completion : batch) {
            if (completion.error() == null) {
                answers.add(new TargetResults.Answered(completion.target(), completion.shipped().result()));
            }
        }
        boolean together = false;
        if (!answers.isEmpty()) {
            try {
                results.recordAll(answers, executorId);
                together = true;
            } catch (RuntimeException e) {
                LOG.warnf(e, "storing %d answers together failed; storing them one by one", answers.size());
            }
        }
        for (Completion completion : batch) {
            ClaimedTarget target = completion.target();
            try {
                if (completion.error() != null) {
                    LOG.errorf(completion.error(), "target %d (%s) failed in the controller", target.targetId(),
                            target.nodeName());
                    results.failedBeforeExec(target.targetId(), FailureKind.INTERNAL, "the controller failed to run"
                            + " this target; the log has the details");
                } else if (!together) {
                    record(target, completion.shipped().result());
                }
            } catch (RuntimeException e) {
                LOG.errorf(e, "cannot end target %d; the orphan sweep will", target.targetId());
            } finally {
                held.remove(target.targetId());
                inFlight.decrementAndGet();
            }
        }
    }

    private void record(ClaimedTarget target, ExecResult result) {
        try {
            results.record(target, executorId, result);
        } catch (RuntimeException e) {
            LOG.errorf(e, "cannot record the result of target %d (%s)", target.targetId(), target.nodeName());
            String why = e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).lines().findFirst()
                    .orElse("");
            try {
                results.failedToRecord(target, executorId, why, true);
            } catch (RuntimeException observerToo) {
                LOG.warnf(observerToo, "cannot announce the failure of target %d; storing it unannounced",
                        target.targetId());
                results.failedToRecord(target, executorId, why, false);
            }
        }
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.warn("claiming more targets failed; the next scheduled poll retries", e);
        }
    }

    /** The claimed targets' nodes, in one query; a node no longer in the inventory is absent. */
    private Map<Long, SshTarget> sshTargets(List<ClaimedTarget> claimed) {
        List<Long> ids = claimed.stream().map(ClaimedTarget::nodeId).filter(Objects::nonNull).distinct().toList();
        if (ids.isEmpty()) {
            return Map.of();
        }
        return QuarkusTransaction.joiningExisting().call(() -> NodeEndpoints.of(Node.<Node>list("id in ?1", ids)));
    }

    private Optional<NodeToolBundle> bundle() {
        if (bundle == null) {
            bundle = NodeToolBundle.fromClasspath();
        }
        return bundle;
    }

    private ScriptShipper shipper() {
        if (shipper == null) {
            shipper = new ScriptShipper(engine, nodeTool.toNodeTool());
        }
        return shipper;
    }

    /** A mistyped node tool setting stops the controller at start, naming the setting, not at its first run. */
    void checkSettings(@Observes StartupEvent event) {
        nodeTool.toNodeTool();
    }

    void stop(@Observes ShutdownEvent event) {
        writers.shutdown();
    }
}
