package io.popfleet.metrics;

import java.util.List;
import java.util.Map;

/**
 * What one poll learned about one node, read from the node tool's {@code status} data (docs/node-json.md) or
 * from the classified failure when the node could not be reached.
 *
 * @param state up (service running and healthy), degraded (running with a problem), down (not running) or
 *        unreachable (no answer over SSH)
 */
public record NodeObservation(String state, String serviceState, Double reputation, Double uptimeScore,
        Double historicalScore, Double egressScore, Long egressBytes7d, Long points, String binaryVersion,
        String wallet, String problem) {

    public static NodeObservation unreachable(String kind, String message) {
        return new NodeObservation("unreachable", null, null, null, null, null, null, null, null, null,
                kind + (message == null ? "" : ": " + message));
    }

    /** Reads status data leniently: a field the node did not report stays null rather than failing the poll. */
    public static NodeObservation fromStatus(Map<String, Object> data) {
        Map<String, Object> service = map(data.get("service"));
        Map<String, Object> reputation = map(data.get("reputation"));
        Map<String, Object> components = map(reputation.get("components"));
        Map<String, Object> binary = map(data.get("binary"));
        String serviceState = text(service.get("state"));
        boolean healthy = Boolean.TRUE.equals(service.get("healthy"));
        String problem = portProblem(data.get("ports"));
        String state;
        if (!"running".equals(serviceState)) {
            state = "down";
            problem = problem == null ? "service " + (serviceState == null ? "unknown" : serviceState) : problem;
        } else if (!healthy || problem != null) {
            state = "degraded";
            problem = problem == null ? "service running but not healthy" : problem;
        } else {
            state = "up";
        }
        return new NodeObservation(state, serviceState, number(reputation.get("score")),
                number(components.get("uptime")), number(components.get("historical")),
                number(components.get("egress")), whole(reputation.get("egress_bytes_7d")), whole(data.get("points")),
                text(binary.get("version")), text(data.get("wallet")), problem);
    }

    private static String portProblem(Object ports) {
        if (!(ports instanceof List<?> list)) {
            return null;
        }
        for (Object entry : list) {
            Map<String, Object> port = map(entry);
            if ("taken".equals(port.get("status"))) {
                return "port " + port.get("port") + " taken by " + port.get("holder");
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static Double number(Object value) {
        return value instanceof Number number ? number.doubleValue() : null;
    }

    private static Long whole(Object value) {
        return value instanceof Number number ? number.longValue() : null;
    }

    private static String text(Object value) {
        return value instanceof String text ? text : null;
    }
}
