package io.popfleet.testing;

import java.util.List;

import io.popfleet.ops.OperationCall;
import io.popfleet.runs.NodeSelection;

/**
 * What a test asks a run to do and on which nodes, without the records' positional arguments:
 * {@code planner.plan(read("logs", "--lines", "5"), inGroups("eu"), "alice")}. The calls skip the catalog's
 * checks: use them only with commands and arguments the catalog accepts.
 */
public final class RunRequests {

    private RunRequests() {
    }

    /** A node-tool command that only reads. */
    public static OperationCall read(String command, String... arguments) {
        return new OperationCall(command, List.of(arguments), false);
    }

    /** A node-tool command that changes nodes. */
    public static OperationCall mutating(String command, String... arguments) {
        return new OperationCall(command, List.of(arguments), true);
    }

    /** The enabled nodes in any of these groups. */
    public static NodeSelection inGroups(String... groups) {
        return new NodeSelection(List.of(groups), null, null, null, false);
    }

    /** The enabled nodes carrying every one of these tags. */
    public static NodeSelection tagged(String... tags) {
        return new NodeSelection(null, List.of(tags), null, null, false);
    }
}
