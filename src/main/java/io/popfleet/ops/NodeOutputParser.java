package io.popfleet.ops;

import java.io.IOException;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Reads a node's stdout strictly: exactly one JSON object with our schema and the command we ran. Anything else
 * is {@link BadOutputException}, which keeps the raw text for the operator.
 */
public final class NodeOutputParser {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private NodeOutputParser() {
    }

    /** The node said something we cannot trust as a result. */
    public static class BadOutputException extends Exception {
        private final String raw;

        public BadOutputException(String message, String raw) {
            super(message);
            this.raw = raw;
        }

        public String raw() {
            return raw;
        }
    }

    public static NodeOutput parse(String expectedCommand, String stdout) throws BadOutputException {
        String text = stdout == null ? "" : stdout.strip();
        if (text.isEmpty()) {
            throw new BadOutputException("the node printed nothing on stdout", stdout);
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (IOException e) {
            throw new BadOutputException("the node's output is not one JSON object", stdout);
        }
        if (root == null || !root.isObject()) {
            throw new BadOutputException("the node's output is not a JSON object", stdout);
        }
        boolean[] hadNul = {false};
        root = withoutNul(root, hadNul);
        String schema = root.path("schema").asText(null);
        if (!NodeOutput.SCHEMA.equals(schema)) {
            throw new BadOutputException("unknown output schema " + (schema == null ? "(none)" : "'" + schema + "'")
                    + "; expected " + NodeOutput.SCHEMA, stdout);
        }
        String command = root.path("command").asText("");
        if (!command.equals(expectedCommand)) {
            throw new BadOutputException("the node answered for '" + command + "', not '" + expectedCommand + "'",
                    stdout);
        }
        if (!root.path("ok").isBoolean()) {
            throw new BadOutputException("the node's output has no boolean 'ok'", stdout);
        }
        boolean ok = root.get("ok").booleanValue();
        JsonNode error = root.path("error");
        if (!ok && (!error.isObject() || !error.path("code").isTextual())) {
            throw new BadOutputException("a failed command must carry error.code", stdout);
        }
        Map<String, Object> data = root.path("data").isObject()
                ? JSON.convertValue(root.get("data"), new TypeReference<Map<String, Object>>() { })
                : null;
        return new NodeOutput(command, ok, data, ok ? null : error.get("code").asText(),
                ok ? null : error.path("message").asText(""), root.path("tool_version").asText(null),
                root.path("node_time").asText(null), ok ? NodeAnswer.read(command, data) : null, hadNul[0]);
    }

    /** The tree with each NUL in a string or a field name shown as {@link NulBytes#SHOWN_AS}; notes that it saw one. */
    private static JsonNode withoutNul(JsonNode node, boolean[] found) {
        if (node.isTextual()) {
            if (!NulBytes.in(node.textValue())) {
                return node;
            }
            found[0] = true;
            return TextNode.valueOf(NulBytes.replace(node.textValue()));
        }
        if (node.isObject()) {
            ObjectNode copy = JSON.createObjectNode();
            node.fields().forEachRemaining(field -> {
                found[0] |= NulBytes.in(field.getKey());
                copy.set(NulBytes.replace(field.getKey()), withoutNul(field.getValue(), found));
            });
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JSON.createArrayNode();
            node.forEach(item -> copy.add(withoutNul(item, found)));
            return copy;
        }
        return node;
    }
}
