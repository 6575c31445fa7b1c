package io.popfleet.runs;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One change a run's watchers see: a target that moved ({@code type = "target"}) or the run's new totals
 * ({@code type = "run"}), sent as Server-Sent Events.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunEvent(String type, Long targetId, String nodeName, String state, String failureKind,
        String failureMessage, Long durationMs, String runState, Map<String, Long> counts, Integer total) {

    static RunEvent target(RunTarget t) {
        return new RunEvent("target", t.id, t.nodeName, t.state.dbValue(), t.failureCode(), t.failureMessage,
                t.durationMs, null, null, null);
    }

    static RunEvent run(RunView run) {
        return new RunEvent("run", null, null, null, null, null, null, run.state(), run.counts(), run.total());
    }
}
