package io.popfleet.runs;

import java.time.Instant;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

import io.popfleet.api.FailureKind;
import io.popfleet.ops.NulBytes;

/**
 * One node's part in a run. Rows are inserted in bulk by {@link RunPlanner} and claimed in SQL by
 * {@link TargetClaims}; every later move goes through a verb here that checks {@link TargetState}'s table.
 */
@Entity
@Table(name = "run_target")
public class RunTarget extends PanacheEntityBase {

    @Id
    public Long id;

    @Column(name = "run_id", nullable = false)
    public long runId;

    @Column(name = "node_id")
    public Long nodeId;

    @Column(name = "node_name", nullable = false)
    public String nodeName;

    @Convert(converter = TargetStateConverter.class)
    @Column(nullable = false)
    public TargetState state;

    public String executor;
    public int attempts;

    @Column(name = "claimed_at")
    public Instant claimedAt;

    @Column(name = "heartbeat_at")
    public Instant heartbeatAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "exit_code")
    public Integer exitCode;

    @Convert(converter = FailureKindConverter.class)
    @Column(name = "failure_kind")
    public FailureKind failureKind;

    @Column(name = "failure_message")
    public String failureMessage;

    public Boolean retryable;
    public String stdout;
    public String stderr;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public Map<String, Object> data;

    @Column(name = "duration_ms")
    public Long durationMs;

    /** The node's output held a NUL, stored as {@link NulBytes#SHOWN_AS} (PostgreSQL stores none). */
    @Column(name = "output_nul", nullable = false)
    public boolean outputNul;

    /** The node tool's version and clock in its answer ({@code tool_version}, {@code node_time}); null without one. */
    @Column(name = "tool_version")
    public String toolVersion;

    @Column(name = "node_time")
    public String nodeTime;

    @Version
    public long version;

    public void start() {
        move(TargetState.RUNNING);
        startedAt = Instant.now();
        heartbeatAt = startedAt;
    }

    public void succeeded(int exit, Map<String, Object> parsed, String out, String err, long millis) {
        move(TargetState.OK);
        // A late answer of an orphaned target: the node's word replaces "unknown".
        failureKind = null;
        failureMessage = null;
        exitCode = exit;
        data = parsed;
        stdout = nulSafe(out);
        stderr = nulSafe(err);
        durationMs = millis;
        finishedAt = Instant.now();
    }

    /** A classified failure: the kind, a message for the operator, what the node printed, and whether a retry may help. */
    public void failed(FailureKind kind, String message, Integer exit, String out, String err, boolean mayRetry,
            Long millis) {
        move(TargetState.FAILED);
        failureKind = kind;
        failureMessage = nulSafe(message);
        exitCode = exit;
        stdout = nulSafe(out);
        stderr = nulSafe(err);
        retryable = mayRetry;
        durationMs = millis;
        finishedAt = Instant.now();
    }

    public void cancel(String reason) {
        move(TargetState.CANCELLED);
        failureKind = FailureKind.CANCELLED;
        failureMessage = reason;
        finishedAt = Instant.now();
    }

    public void orphan() {
        move(TargetState.ORPHANED);
        failureKind = FailureKind.ORPHANED;
        failureMessage = "executor " + executor + " stopped reporting while this target was " + "in flight";
    }

    /** Back in the queue after an orphaned read: the executor will claim it again. */
    public void requeue() {
        move(TargetState.QUEUED);
        executor = null;
        claimedAt = null;
        heartbeatAt = null;
        failureKind = null;
        failureMessage = null;
    }

    /** The failure's stable code as stored and shown, or null when the target has not failed. */
    public String failureCode() {
        return failureKind == null ? null : failureKind.code();
    }

    private String nulSafe(String text) {
        if (NulBytes.in(text)) {
            outputNul = true;
        }
        return NulBytes.replace(text);
    }

    private void move(TargetState next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalTransitionException("target " + id + " (" + nodeName + ")", state, next);
        }
        state = next;
        updatedAt = Instant.now();
    }
}
