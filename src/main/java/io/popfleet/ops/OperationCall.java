package io.popfleet.ops;

import java.util.List;

/**
 * A validated call of a node-tool command: what {@code pop} runs on each node. Only the operation catalog makes
 * these, after checking every argument, so anything holding one may send it to a node.
 *
 * @param arguments the command's arguments after the command name, without {@code --json}
 */
public record OperationCall(String command, List<String> arguments, boolean mutating) {

    public OperationCall {
        arguments = List.copyOf(arguments);
    }
}
