package io.popfleet.metrics;

import java.time.Instant;

/** One node's observation at one poll, for history charts. */
public record MetricPoint(Instant at, String state, Double reputation, Double uptimeScore, Double historicalScore,
        Double egressScore, Long egressBytes7d, Long points) {
}
