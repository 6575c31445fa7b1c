package io.popfleet.runs;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** A run as the API and pages show it, with its targets counted by state. */
public record RunView(long id, String operation, List<String> arguments, boolean mutating, String selection,
        String startedBy, Long retryOf, String state, int total, Map<String, Long> counts, Instant createdAt,
        Instant finishedAt) {

    public long done() {
        return Arrays.stream(TargetState.values()).filter(state -> !state.isPending())
                .mapToLong(state -> count(state.dbValue())).sum();
    }

    public long count(String state) {
        return counts.getOrDefault(state, 0L);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore // derived from state; not part of the API
    public boolean isRunningState() {
        return RunState.RUNNING.dbValue().equals(state);
    }

    public int percent() {
        return total == 0 ? 100 : (int) (done() * 100 / total);
    }
}
