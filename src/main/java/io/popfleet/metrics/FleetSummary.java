package io.popfleet.metrics;

import java.util.Map;

/**
 * The fleet at a glance, from each node's newest observation.
 *
 * @param states node count by state: up, degraded, down, unreachable, and unknown (never polled yet)
 * @param reputationBands node count by Pipe's bands: excellent (≥ 0.9), good, fair, poor (< 0.7)
 * @param versions node count by node binary version
 */
public record FleetSummary(long enabledNodes, Map<String, Long> states, Double averageReputation,
        Map<String, Long> reputationBands, long egressBytes7d, long points, Map<String, Long> versions) {

    public long state(String state) {
        return states.getOrDefault(state, 0L);
    }

    public long band(String band) {
        return reputationBands.getOrDefault(band, 0L);
    }
}
