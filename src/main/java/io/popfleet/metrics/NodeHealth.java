package io.popfleet.metrics;

import java.time.Instant;

/** A node's newest observation: what the fleet pages show for it. */
public record NodeHealth(long nodeId, Instant at, String state, String serviceState, Double reputation,
        Double uptimeScore, Double historicalScore, Double egressScore, Long egressBytes7d, Long points,
        String binaryVersion, String wallet, String problem, Instant lastSeenAt, int consecutiveFailures) {
}
