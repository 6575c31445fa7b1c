package io.popfleet.metrics;

import io.popfleet.ops.NodeStatus;
import io.popfleet.ops.Reputation;

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

    /** A status answer as an observation: a field the node did not report stays null rather than failing the poll. */
    public static NodeObservation fromStatus(NodeStatus status) {
        String serviceState = status.serviceState();
        boolean healthy = Boolean.TRUE.equals(status.healthy());
        String problem = portProblem(status);
        if (problem == null && status.authExpired()) {
            // Pipe refuses the node's token: it runs, but its Pipe calls (reports, points, referrals) fail.
            problem = "Pipe token expired (pop refresh renews it)";
        }
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
        Reputation reputation = status.reputation();
        return new NodeObservation(state, serviceState, reputation.score(), reputation.uptime(),
                reputation.historical(), reputation.egress(), reputation.egressBytes7d(), status.points(),
                status.binaryVersion(), status.wallet(), problem, ConfigFacts.fromStatus(status));
    }

    private static String portProblem(NodeStatus status) {
        return status.ports().stream().filter(port -> "taken".equals(port.status())).findFirst()
                .map(port -> "port " + port.port() + " taken by " + port.holder()).orElse(null);
    }
}
