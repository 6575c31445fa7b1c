package io.popfleet.rollout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DispatchGateTest {

    @Test
    void noMoreThanTheLimitPerRegionStartsAndTheRestWaits() {
        List<RolloutCandidate> batch = RolloutPlannerTest.fleet(9, 3);
        RolloutStrategy strategy = RolloutPlannerTest.strategy(null, "rest", 2, 0, "0");
        List<RolloutCandidate> start = DispatchGate.startable(strategy, batch, Map.of("r0", 1), Map.of());
        Map<String, Long> perRegion = new HashMap<>();
        start.forEach(node -> perRegion.merge(node.regionKey(), 1L, Long::sum));
        assertThat(perRegion).containsOnly(Map.entry("r0", 1L), Map.entry("r1", 2L), Map.entry("r2", 2L));
        // In rollout order: the first nodes of each region start, later ones wait.
        assertThat(start).extracting(RolloutCandidate::name).containsExactly("pop-000", "pop-001", "pop-002",
                "pop-004", "pop-005");
    }

    @Test
    void aHealthyNodeWaitsWhenItsRegionIsAtTheMinimumButADegradedOneMayStart() {
        RolloutCandidate up = new RolloutCandidate(1, "a1", "a", true, "up", "0.2.7");
        RolloutCandidate degraded = new RolloutCandidate(2, "a2", "a", true, "degraded", "0.2.7");
        RolloutStrategy strategy = RolloutPlannerTest.strategy(null, "rest", 0, 3, "0");
        assertThat(DispatchGate.startable(strategy, List.of(up, degraded), Map.of(), Map.of("a", 3)))
                .containsExactly(degraded);
        assertThat(DispatchGate.startable(strategy, List.of(up, degraded), Map.of(), Map.of("a", 4)))
                .containsExactly(up, degraded);
    }

    @Test
    void withoutLimitsTheWholeBatchStarts() {
        List<RolloutCandidate> batch = RolloutPlannerTest.fleet(20, 2);
        assertThat(DispatchGate.startable(RolloutPlannerTest.strategy(null, "rest", 0, 0, "0"), batch, Map.of(),
                Map.of())).isEqualTo(batch);
    }

    /**
     * A simulated rollout over 120 nodes in 4 regions with random update times: at every tick the per-region limit
     * and minimum hold, and every node is started exactly once.
     */
    @Test
    void limitsHoldAtEveryTickOfASimulatedRollout() {
        Random random = new Random(7);
        List<RolloutCandidate> fleet = RolloutPlannerTest.fleet(120, 4);
        RolloutStrategy strategy = RolloutPlannerTest.strategy("2", "1, 10%, 25%, rest", 3, 25, "0");
        Map<String, Integer> healthy = new HashMap<>();
        fleet.forEach(node -> healthy.merge(node.regionKey(), 1, Integer::sum));
        RolloutPlan plan = RolloutPlanner.plan(strategy, "0.2.8", fleet, healthy, java.time.Duration.ofMinutes(1));
        Map<Long, Integer> started = new HashMap<>();
        for (RolloutPlan.Batch batch : plan.batches()) {
            List<RolloutCandidate> waiting = new ArrayList<>(batch.nodes());
            Map<RolloutCandidate, Integer> running = new HashMap<>();
            int ticks = 0;
            while (!waiting.isEmpty() || !running.isEmpty()) {
                assertThat(ticks++).as("batch %d makes progress", batch.index()).isLessThan(10_000);
                Map<String, Integer> inFlight = new HashMap<>();
                running.keySet().forEach(node -> inFlight.merge(node.regionKey(), 1, Integer::sum));
                Map<String, Integer> healthyNow = new HashMap<>(healthy);
                running.keySet().forEach(node -> healthyNow.merge(node.regionKey(), -1, Integer::sum));
                for (RolloutCandidate node : DispatchGate.startable(strategy, waiting, inFlight, healthyNow)) {
                    waiting.remove(node);
                    running.put(node, 1 + random.nextInt(5));
                    started.merge(node.nodeId(), 1, Integer::sum);
                }
                Map<String, Integer> busy = new HashMap<>();
                running.keySet().forEach(node -> busy.merge(node.regionKey(), 1, Integer::sum));
                busy.forEach((region, count) -> {
                    assertThat(count).as("updating in %s", region).isLessThanOrEqualTo(3);
                    assertThat(healthy.get(region) - count).as("healthy in %s", region).isGreaterThanOrEqualTo(25);
                });
                running.replaceAll((node, left) -> left - 1);
                running.values().removeIf(left -> left <= 0);
            }
        }
        assertThat(started).hasSize(120).allSatisfy((node, times) -> assertThat(times).isEqualTo(1));
    }
}
