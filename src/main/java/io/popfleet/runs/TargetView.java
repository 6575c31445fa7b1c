package io.popfleet.runs;

import java.time.Instant;
import java.util.Map;

/**
 * One node's part in a run, as the API and pages show it. Output is only there when the node failed.
 *
 * @param outputNul the node's output held a NUL, shown as U+2400 where it was (PostgreSQL stores none)
 */
public record TargetView(long id, long runId, Long nodeId, String nodeName, String state, int attempts,
        Instant startedAt, Instant finishedAt, Long durationMs, Integer exitCode, String failureKind,
        String failureMessage, Boolean retryable, Map<String, Object> data, String stdout, String stderr,
        boolean outputNul) {

    static TargetView of(RunTarget t) {
        return new TargetView(t.id, t.runId, t.nodeId, t.nodeName, t.state.dbValue(), t.attempts, t.startedAt,
                t.finishedAt, t.durationMs, t.exitCode, t.failureCode(), t.failureMessage, t.retryable, t.data,
                t.stdout, t.stderr, t.outputNul);
    }
}
