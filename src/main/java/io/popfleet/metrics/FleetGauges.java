package io.popfleet.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * Fleet gauges for Prometheus at {@code /q/metrics}: {@code popfleet_nodes{state}} (enabled nodes by their newest
 * observation), average reputation, egress and points. Read from PostgreSQL at most every 15 s, however often
 * Prometheus scrapes.
 */
@ApplicationScoped
public class FleetGauges {

    private static final String[] STATES = {"up", "degraded", "down", "unreachable", "unknown"};
    private static final Duration FRESH = Duration.ofSeconds(15);

    @Inject
    MetricsService metrics;

    @Inject
    MeterRegistry registry;

    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(new Snapshot(Instant.EPOCH, null));

    private record Snapshot(Instant at, FleetSummary summary) {
    }

    void register(@Observes StartupEvent event) {
        for (String state : STATES) {
            Gauge.builder("popfleet.nodes", () -> summary().states().getOrDefault(state, 0L))
                    .description("Enabled nodes by the state of their newest observation").tag("state", state)
                    .register(registry);
        }
        Gauge.builder("popfleet.fleet.reputation.average", () -> {
            Double average = summary().averageReputation();
            return average == null ? Double.NaN : average;
        }).description("Average reputation of the enabled nodes (Pipe's 0-1 score, estimated per node)")
                .register(registry);
        Gauge.builder("popfleet.fleet.egress.7d", () -> summary().egressBytes7d())
                .description("Egress of the enabled nodes over the last 7 days").baseUnit("bytes").register(registry);
        Gauge.builder("popfleet.fleet.points", () -> summary().points())
                .description("Points of the enabled nodes").register(registry);
    }

    private FleetSummary summary() {
        Snapshot current = snapshot.get();
        if (current.summary() == null || current.at().plus(FRESH).isBefore(Instant.now())) {
            current = new Snapshot(Instant.now(), metrics.summary());
            snapshot.set(current);
        }
        return current.summary();
    }
}
