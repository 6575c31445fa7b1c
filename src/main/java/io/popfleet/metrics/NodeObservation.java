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
        String wallet, String problem, ConfigFacts facts) {

    public static NodeObservation unreachable(String kind, String message) {
        return new NodeObservation("unreachable", null, null, null, null, null, null, null, null, null,
                kind + (message == null ? "" : ": " + message), ConfigFacts.UNKNOWN);
    }

    /** Reads status data leniently: a field the node did not report stays null rather than failing the poll. */
    public static NodeObservation fromStatus(Map<String, Object> data) {
        Map<String, Object> service = StatusFields.map(data.get("service"));
        Map<String, Object> reputation = StatusFields.map(data.get("reputation"));
        Map<String, Object> components = StatusFields.map(reputation.get("components"));
        Map<String, Object> binary = StatusFields.map(data.get("binary"));
        String serviceState = StatusFields.text(service.get("state"));
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
        return new NodeObservation(state, serviceState, StatusFields.number(reputation.get("score")),
                StatusFields.number(components.get("uptime")), StatusFields.number(components.get("historical")),
                StatusFields.number(components.get("egress")), StatusFields.whole(reputation.get("egress_bytes_7d")),
                StatusFields.whole(data.get("points")), StatusFields.text(binary.get("version")),
                StatusFields.text(data.get("wallet")), problem, ConfigFacts.fromStatus(data));
    }

    private static String portProblem(Object ports) {
        if (!(ports instanceof List<?> list)) {
            return null;
        }
        for (Object entry : list) {
            Map<String, Object> port = StatusFields.map(entry);
            if ("taken".equals(port.get("status"))) {
                return "port " + port.get("port") + " taken by " + port.get("holder");
            }
        }
        return null;
    }
}
