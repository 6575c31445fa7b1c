package io.popfleet.runs;

import java.time.Instant;
import java.util.List;

/** One run as one node lived it: what ran, who started it, and this node's own outcome. */
public record NodeRun(long runId, String operation, List<String> arguments, String startedBy, Instant createdAt,
        String state, String failureKind, String failureMessage) {

    static NodeRun of(Run run, RunTarget target) {
        return new NodeRun(run.id, run.operation, run.arguments, run.startedBy, run.createdAt,
                target.state.dbValue(), target.failureCode(), target.failureMessage);
    }

    public String commandLine() {
        return arguments.isEmpty() ? operation : operation + " " + String.join(" ", arguments);
    }
}
