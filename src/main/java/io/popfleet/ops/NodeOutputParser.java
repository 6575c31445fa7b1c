package io.popfleet.ops;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

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
        Object parsed;
        try {
            // one pass, straight into the maps the target row stores; no tree, no second conversion
            parsed = JSON.readValue(text, Object.class);
        } catch (IOException e) {
            throw new BadOutputException("the node's output is not one JSON object", stdout);
        }
        if (!(parsed instanceof Map<?, ?>)) {
            throw new BadOutputException("the node's output is not a JSON object", stdout);
        }
        boolean[] hadNul = {false};
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) withoutNul(parsed, hadNul);
        String schema = text(root.get("schema"));
        if (!NodeOutput.SCHEMA.equals(schema)) {
            throw new BadOutputException("unknown output schema " + (schema == null ? "(none)" : "'" + schema + "'")
                    + "; expected " + NodeOutput.SCHEMA, stdout);
        }
        String command = Objects.requireNonNullElse(text(root.get("command")), "");
        if (!command.equals(expectedCommand)) {
            throw new BadOutputException("the node answered for '" + command + "', not '" + expectedCommand + "'",
                    stdout);
        }
        if (!(root.get("ok") instanceof Boolean okValue)) {
            throw new BadOutputException("the node's output has no boolean 'ok'", stdout);
        }
        boolean ok = okValue;
        Map<?, ?> error = root.get("error") instanceof Map<?, ?> map ? map : null;
        if (!ok && (error == null || !(error.get("code") instanceof String))) {
            throw new BadOutputException("a failed command must carry error.code", stdout);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> data = root.get("data") instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
        return new NodeOutput(command, ok, data, ok ? null : (String) error.get("code"),
                ok ? null : Objects.requireNonNullElse(text(error.get("message")), ""), text(root.get("tool_version")),
                text(root.get("node_time")), ok ? NodeAnswer.read(command, data) : null, hadNul[0]);
    }

    /** A scalar as text (as Jackson's {@code asText} reads it), "" for an object or array, null when absent. */
    private static String text(Object value) {
        if (value == null) {
            return null;
        }
        return value instanceof Map<?, ?> || value instanceof List<?> ? "" : String.valueOf(value);
    }

    /**
     * The value with each NUL in a string or a field name shown as {@link NulBytes#SHOWN_AS}; notes that it saw one.
     * Copies only what held a NUL: a clean answer (all of them, in practice) is returned as it was parsed.
     */
    private static Object withoutNul(Object value, boolean[] found) {
        if (value instanceof String text) {
            if (!NulBytes.in(text)) {
                return text;
            }
            found[0] = true;
            return NulBytes.replace(text);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = null;
            for (Map.Entry<?, ?> field : map.entrySet()) {
                String key = (String) field.getKey();
                Object cleaned = withoutNul(field.getValue(), found);
                boolean nulKey = NulBytes.in(key);
                if (copy == null && (nulKey || cleaned != field.getValue())) {
                    copy = new LinkedHashMap<>();
                    for (Map.Entry<?, ?> before : map.entrySet()) {
                        if (before == field) {
                            break;
                        }
                        copy.put((String) before.getKey(), before.getValue());
                    }
                }
                found[0] |= nulKey;
                if (copy != null) {
                    copy.put(NulBytes.replace(key), cleaned);
                }
            }
            return copy == null ? map : copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = null;
            for (int i = 0; i < list.size(); i++) {
                Object cleaned = withoutNul(list.get(i), found);
                if (copy == null && cleaned != list.get(i)) {
                    copy = new ArrayList<>(list.subList(0, i));
                }
                if (copy != null) {
                    copy.add(cleaned);
                }
            }
            return copy == null ? list : copy;
        }
        return value;
    }
}
