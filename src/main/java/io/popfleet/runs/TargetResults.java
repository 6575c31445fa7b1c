package io.popfleet.runs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;

import io.popfleet.api.FailureKind;
import io.popfleet.ops.NodeAnswer;
import io.popfleet.ops.NodeOutput;
import io.popfleet.ops.NodeOutputParser;
import io.popfleet.security.AuditLog;
import io.popfleet.ssh.ExecResult;

/**
 * Writes what happened on a node into its target row, classified; one short transaction per batch of answers
 * ({@link #recordAll}), or per target. Each finished target is announced as a {@link TargetFinished} in that
 * transaction, for whoever keeps figures from the answers.
 */
@ApplicationScoped
public class TargetResults {

    private static final Logger LOG = Logger.getLogger(TargetResults.class);
    /** Who a late result's audit entry names: the controller itself, not an operator. */
    static final String LATE_RESULT_ACTOR = "executor";

    @Inject
    AuditLog audit;

    @Inject
    TargetClaims claims;

    @Inject
    RunsConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    Event<TargetFinished> finished;

    @Inject
    Event<TargetsRecorded> recorded;

    @Inject
    EntityManager em;

    /**
     * Marks the target running for {@code executor}, the last step before its command leaves for the node.
     *
     * @return false when it is no longer this executor's claim: an executor that stalled past its lease was swept,
     *         and the target queued again or taken by another; its command must then not be sent
     */
    @Transactional
    public boolean started(long targetId, String executor) {
        // the row lock orders this against a sweep of the same row
        RunTarget target = RunTarget.findById(targetId, LockModeType.PESSIMISTIC_WRITE);
        if (target == null || target.state != TargetState.CLAIMED || !executor.equals(target.executor)) {
            return false;
        }
        target.start();
        return true;
    }

    /**
     * {@link #started} for a batch, in one statement: the claims still this executor's move to running (the update
     * takes each row's lock, which orders it against a sweep as the single-row form does).
     *
     * @return the targets whose command may now be sent
     */
    @Transactional
    public Set<Long> startedAll(Collection<Long> targetIds, String executor) {
        if (targetIds.isEmpty()) {
            return Set.of();
        }
        @SuppressWarnings("unchecked")
        List<Number> started = em.createNativeQuery("update run_target set state = 'running', started_at = now(),"
                + " heartbeat_at = now(), updated_at = now(), version = version + 1"
                + " where id in (:ids) and state = 'claimed' and executor = :executor returning id")
                .setParameter("ids", new ArrayList<>(targetIds)).setParameter("executor", executor).getResultList();
        Set<Long> ids = new HashSet<>();
        started.forEach(id -> ids.add(id.longValue()));
        return ids;
    }

    @Transactional
    public void failedBeforeExec(long targetId, FailureKind kind, String message) {
        RunTarget target = RunTarget.findById(targetId);
        if (target == null || !target.state.isPending()) {
            return; // cancelled, or swept and taken over meanwhile: its stored outcome stands
        }
        if (target.state == TargetState.CLAIMED) {
            target.start();
        }
        target.failed(kind, message, null, null, null, false, 0L);
        // Rare (a node gone, a refused address), so reading the run's operation here costs nothing that matters.
        Run run = Run.findById(target.runId);
        finished.fire(TargetFinished.of(target, run.operation, null));
        claims.completeIfDone(target.runId);
    }

    /** What one node answered for a target this executor ran, as it arrived. */
    public record Answered(ClaimedTarget claimed, ExecResult result) {
    }

    /**
     * Stores what the node answered for a target this executor ran. The target must still be this executor's:
     * running, or orphaned by a sweep that took it for dead (a late result: stored, and audited, since an operator
     * may already be deciding what to do with it). A target another executor claimed since keeps its own outcome.
     *
     * @param executor the executor that ran it
     */
    @Transactional
    public void record(ClaimedTarget claimed, String executor, ExecResult result) {
        RunTarget target = RunTarget.findById(claimed.targetId());
        TargetFinished event = store(claimed, executor, result, target);
        if (event != null) {
            em.flush();
            finished.fire(event);
            recorded.fire(new TargetsRecorded(1));
            claims.completeIfDone(target.runId);
            count(target, claimed.operation());
        }
    }

    /**
     * {@link #record} for a batch of answers, in one transaction: the rows are read in one query, their updates go
     * out as one JDBC batch, and each run is completed once. Every guarantee of {@code record} holds per target
     * (ownership, the row's version, late results, one {@link TargetFinished} each); when anything in the batch
     * fails, all of it rolls back and the caller stores the answers one by one, so one bad answer costs the others
     * nothing but a retry.
     */
    @Transactional
    public void recordAll(List<Answered> answers, String executor) {
        List<Long> ids = answers.stream().map(answer -> answer.claimed().targetId()).toList();
        Map<Long, RunTarget> rows = new HashMap<>();
        for (RunTarget target : RunTarget.<RunTarget>list("id in ?1", ids)) {
            rows.put(target.id, target);
        }
        List<TargetFinished> events = new ArrayList<>(answers.size());
        List<RunTarget> stored = new ArrayList<>(answers.size());
        SortedSet<Long> runs = new TreeSet<>();
        for (Answered answer : answers) {
            RunTarget target = rows.get(answer.claimed().targetId());
            TargetFinished event = store(answer.claimed(), executor, answer.result(), target);
            if (event != null) {
                events.add(event);
                stored.add(target);
                runs.add(target.runId);
            }
        }
        // the target rows first, in one batch; then what features keep from the answers, in the same transaction
        em.flush();
        // Written, so nothing left to track: each observer's native statement flushes the context first, and a
        // context still holding the batch's rows dirty-checks every one of them (their JSON deep) each time,
        // which made a batch quadratic (56 % of the controller's CPU in the benchmark's profile).
        em.clear();
        events.forEach(finished::fire);
        recorded.fire(new TargetsRecorded(events.size()));
        // in run order, so two writers completing the same runs lock them in the same order
        runs.forEach(claims::completeIfDone);
        for (int i = 0; i < stored.size(); i++) {
            count(stored.get(i), events.get(i).operation());
        }
    }

    /** Applies one answer to its row; answers the event to announce, or null when the row is not ours. */
    private TargetFinished store(ClaimedTarget claimed, String executor, ExecResult result, RunTarget target) {
        if (!isOurs(target, executor)) {
            LOG.infof("target %d (%s): the result of executor %s is not stored, the target is %s now",
                    claimed.targetId(), claimed.nodeName(), executor, target == null ? "gone" : target.state.dbValue()
                            + " with executor " + target.executor);
            return null;
        }
        boolean late = target.state == TargetState.ORPHANED;
        String command = claimed.operation();
        long millis = result.timings() == null ? 0 : totalMillis(result);
        String stderr = tail(result.stderr());
        NodeAnswer answer = null;
        if (result.failure() == FailureKind.CANCELLED && !late) {
            target.cancel("cancelled by an operator while running");
        } else if (result.failure() != null && result.failure() != FailureKind.NONZERO_EXIT) {
            // A mutation is never repeated on its own: whether a timed-out or cut-off one changed the node is
            // unknown, so only an operator re-runs it.
            target.failed(result.failure(), result.message(), result.exitCode(), keep(result.stdout()), stderr,
                    result.failure().retryable() && !claimed.mutating(), millis);
        } else {
            answer = classifyOutput(target, command, result, stderr, millis);
        }
        if (late) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("run", target.runId);
            details.put("target", target.id);
            details.put("operation", command);
            details.put("mutating", claimed.mutating());
            details.put("outcome", target.state.dbValue());
            if (target.failureKind != null) {
                details.put("failureKind", target.failureCode());
            }
            audit.record(LATE_RESULT_ACTOR, "run.target.late-result", "run " + target.runId,
                    List.of(target.nodeName), AuditLog.OK, details);
        }
        return TargetFinished.of(target, command, answer);
    }

    /**
     * The last resort when {@link #record} failed: the target ends as an internal failure instead of staying
     * running, so its run finishes and an operator sees it. Only a target this executor still runs is touched.
     *
     * @param announce fire {@link TargetFinished}; the executor tries once without it when an observer may be what
     *        failed (it would fail this write too)
     */
    @Transactional
    public void failedToRecord(ClaimedTarget claimed, String executor, String why, boolean announce) {
        RunTarget target = RunTarget.findById(claimed.targetId());
        if (target == null || target.state != TargetState.RUNNING || !executor.equals(target.executor)) {
            return;
        }
        target.failed(FailureKind.INTERNAL, "the node answered, but the controller could not store the answer: "
                + why, null, null, null, false, null);
        if (announce) {
            finished.fire(TargetFinished.of(target, claimed.operation(), null));
        }
        claims.completeIfDone(target.runId);
    }

    private static boolean isOurs(RunTarget target, String executor) {
        return target != null && executor.equals(target.executor)
                && (target.state == TargetState.RUNNING || target.state == TargetState.ORPHANED);
    }

    /** Stores the node's answer or why it is not one; answers the typed answer, if the node gave one. */
    private NodeAnswer classifyOutput(RunTarget target, String command, ExecResult result, String stderr,
            long millis) {
        NodeOutput output;
        try {
            output = NodeOutputParser.parse(command, result.stdout());
        } catch (NodeOutputParser.BadOutputException e) {
            String reason = result.stdoutTruncated() ? e.getMessage() + " (output was cut at the size limit)"
                    : e.getMessage();
            target.failed(FailureKind.BAD_OUTPUT, reason, result.exitCode(), keep(e.raw()), stderr, false,
                    millis);
            return null;
        }
        int exit = result.exitCode() == null ? -1 : result.exitCode();
        if (output.ok() && exit == 0) {
            target.succeeded(exit, output.data(), null, stderr, millis);
            envelope(target, output);
        } else if (output.ok()) {
            target.failed(FailureKind.BAD_OUTPUT, "the node reported ok but exited " + exit, exit,
                    keep(result.stdout()), stderr, false, millis);
        } else {
            target.failed(FailureKind.NONZERO_EXIT, output.errorCode() + ": " + output.errorMessage(), exit,
                    null, stderr, false, millis);
            target.data = output.data() == null ? Map.of("error_code", output.errorCode())
                    : withErrorCode(output.data(), output.errorCode());
            envelope(target, output);
        }
        if (output.hadNul()) {
            target.outputNul = true;
        }
        return output.answer();
    }

    /** The rest of the node's answer, so a client can hand it on whole (the command line's jsonl). */
    private static void envelope(RunTarget target, NodeOutput output) {
        target.toolVersion = output.toolVersion();
        target.nodeTime = output.nodeTime();
    }

    /** Prometheus: target durations by operation and outcome, failures by class. */
    private void count(RunTarget target, String command) {
        String outcome = target.state.dbValue();
        if (target.durationMs != null) {
            registry.timer("popfleet.run.target.duration", "operation", command, "outcome", outcome)
                    .record(Duration.ofMillis(target.durationMs));
        }
        if (target.state == TargetState.FAILED) {
            registry.counter("popfleet.run.target.failures", "kind", String.valueOf(target.failureCode())).increment();
        }
    }

    private static Map<String, Object> withErrorCode(Map<String, Object> data, String code) {
        Map<String, Object> copy = new LinkedHashMap<>(data);
        copy.put("error_code", code);
        return copy;
    }

    private static long totalMillis(ExecResult result) {
        var t = result.timings();
        long total = 0;
        for (Duration d : new Duration[] {t.connect(), t.auth(), t.exec()}) {
            total += d == null ? 0 : d.toMillis();
        }
        return total;
    }

    private String keep(String text) {
        if (text == null) {
            return null;
        }
        return text.length() <= config.keptOutputChars() ? text : text.substring(0, config.keptOutputChars());
    }

    private String tail(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        int keep = Math.min(text.length(), 4096);
        return text.substring(text.length() - keep);
    }
}
