package io.popfleet.metrics;

import java.util.Map;

/** Lenient reads of status data: a field the node did not report, or reported as another type, is null. */
final class StatusFields {

    private StatusFields() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
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
}
