package io.popfleet.ops;

import java.util.Map;

/**
 * A node's answer to {@code pop COMMAND --json}, checked against the {@code popfleet.node/v1} envelope.
 *
 * @param data the command's data, as the node reported it (see docs/node-json.md), or null
 * @param errorCode the tool's stable error code when {@code ok} is false
 * @param answer the data read into its typed record when the command succeeded and has one; null otherwise
 * @param hadNul the JSON held a NUL (an escaped U+0000), now shown as {@link NulBytes#SHOWN_AS} in every value
 */
public record NodeOutput(String command, boolean ok, Map<String, Object> data, String errorCode,
        String errorMessage, String toolVersion, String nodeTime, NodeAnswer answer, boolean hadNul) {

    public static final String SCHEMA = "popfleet.node/v1";
}
