package io.popfleet.ops;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * Lenient reads of a node's answer: a field the node did not report, or reported as another type, is null. The
 * contract only ever adds fields (docs/node-json.md), so readers take what they know and ignore the rest.
 */
final class AnswerFields {

    private AnswerFields() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    static List<?> list(Object value) {
        return value instanceof List<?> list ? list : List.of();
    }

    static Double number(Object value) {
        return value instanceof Number number ? number.doubleValue() : null;
    }

    static Long whole(Object value) {
        return value instanceof Number number ? number.longValue() : null;
    }

    static String text(Object value) {
        return value instanceof String text ? text : null;
    }

    static Boolean bool(Object value) {
        return value instanceof Boolean bool ? bool : null;
    }

    static Instant instant(Object value) {
        try {
            return value instanceof String text ? Instant.parse(text) : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
