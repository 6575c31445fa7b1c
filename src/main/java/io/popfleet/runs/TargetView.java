package io.popfleet.runs;

import java.time.Instant;
import java.util.Map;

/**
 * One node's part in a run, as the API and pages show it. Output is only there when the node failed.
 *
 * @param outputNul the node's output held a NUL, shown as U+2400 where it was (PostgreSQL stores none)
 * @param toolVersion the node tool's {@code tool_version} in its answer; null when the node gave none
 * @param nodeTime the node's clock ({@code node_time}) in its answer; null when the node gave none
 */
public record TargetView(long id, long runId, Long nodeId, String nodeName, String state, int attempts,
        Instant startedAt, Instant finishedAt, Long durationMs, Integer exitCode, String failureKind,
        String failureMessage, Boolean retryable, Map<String, Object> data, String stdout, String stderr,
        boolean outputNul, String toolVersion, String nodeTime) {

    /** A target without the envelope's version and clock (tests and pages that build one by hand). */
    public TargetView(long id, long runId, Long nodeId, String nodeName, String state, int attempts,
            Instant startedAt, Instant finishedAt, Long durationMs, Integer exitCode, String failureKind,
            String failureMessage, Boolean retryable, Map<String, Object> data, String stdout, String stderr,
            boolean outputNul) {
        this(id, runId, nodeId, nodeName, state, attempts, startedAt, finishedAt, durationMs, exitCode, failureKind,
                failureMessage, retryable, data, stdout, stderr, outputNul, null, null);
    }

    static TargetView of(RunTarget t) {
        return new TargetView(t.id, t.runId, t.nodeId, t.nodeName, t.state.dbValue(), t.attempts, t.startedAt,
                t.finishedAt, t.durationMs, t.exitCode, t.failureCode(), t.failureMessage, t.retryable, t.data,
                t.stdout, t.stderr, t.outputNul, t.toolVersion, t.nodeTime);
    }
}
