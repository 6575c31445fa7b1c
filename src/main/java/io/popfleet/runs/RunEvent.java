package io.popfleet.runs;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One change a run's watchers see: a target that moved ({@code type = "target"}) or the run's new totals
 * ({@code type = "run"}), sent as Server-Sent Events. A target that has ended carries the node's answer too
 * ({@code nodeId}, {@code data}, {@code toolVersion}, {@code nodeTime}) when the watcher asked for results, so a
 * script prints each node's answer as it arrives instead of paging through the targets afterwards.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunEvent(String type, Long targetId, String nodeName, String state, String failureKind,
        String failureMessage, Long durationMs, String runState, Map<String, Long> counts, Integer total,
        Long nodeId, Map<String, Object> data, String toolVersion, String nodeTime) {

    static RunEvent target(RunTarget t, boolean withResult) {
        boolean result = withResult && t.state.isFinal();
        return new RunEvent("target", t.id, t.nodeName, t.state.dbValue(), t.failureCode(), t.failureMessage,
                t.durationMs, null, null, null, result ? t.nodeId : null, result ? t.data : null,
                result ? t.toolVersion : null, result ? t.nodeTime : null);
    }

    static RunEvent run(RunView run) {
        return new RunEvent("run", null, null, null, null, null, null, run.state(), run.counts(), run.total(), null,
                null, null, null);
    }
}
