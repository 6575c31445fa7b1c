package io.popfleet.runs;

import java.util.List;

/** A target this executor now owns, with what it needs to run it and nothing it must not hold on to. */
public record ClaimedTarget(long targetId, long runId, Long nodeId, String nodeName, String operation,
        List<String> arguments, boolean mutating) {
}
