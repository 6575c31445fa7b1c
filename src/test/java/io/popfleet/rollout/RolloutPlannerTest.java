package io.popfleet.rollout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.popfleet.api.BadRequestProblem;
import io.popfleet.api.ProblemException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RolloutPlannerTest {

    private static final String TARGET = "0.2.8";
    private static final Duration MINUTE = Duration.ofMinutes(1);

    @Test
    void batchListIsAnsibleSerialWithPercentagesOfTheWholeRolloutAndRestLast() {
        List<BatchSize> sizes = BatchSize.parseList("1, 5%, 25%, rest");
        assertThat(sizes).extracting(BatchSize::toString).containsExactly("1", "5%", "25%", "rest");
        RolloutPlan plan = plan(strategy(null, "1, 5%, 25%, rest", 0, 0, "0"), fleet(200, 4));
        assertThat(plan.batches()).extracting(batch -> batch.nodes().size()).containsExactly(1, 10, 50, 139);
        assertThat(plan.batches()).noneMatch(RolloutPlan.Batch::canary);
    }

    @Test
    void theLastSizeRepeatsUntilEveryNodeHasABatch() {
        RolloutPlan plan = plan(strategy(null, "2, 10%", 0, 0, "0"), fleet(45, 3));
        // 10 % of 45 rounds up to 5: 2, then 5s, the last batch takes what is left.
        assertThat(plan.batches()).extracting(batch -> batch.nodes().size())
                .containsExactly(2, 5, 5, 5, 5, 5, 5, 5, 5, 3);
    }

    @Test
    void canaryComesFirstAloneAndCountsAsPercentageOfEligibleNodes() {
        RolloutPlan byCount = plan(strategy("3", "rest", 0, 0, "0"), fleet(100, 5));
        assertThat(byCount.batches().get(0).canary()).isTrue();
        assertThat(byCount.batches()).extracting(batch -> batch.nodes().size()).containsExactly(3, 97);
        RolloutPlan byShare = plan(strategy("2%", "50%", 0, 0, "0"), fleet(101, 5));
        assertThat(byShare.batches()).extracting(batch -> batch.nodes().size()).containsExactly(3, 51, 47);
    }

    @Test
    void regionOrderSpreadsTheCanaryAndEarlyBatchesOverEveryRegion() {
        RolloutPlan plan = plan(strategy("4", "rest", 0, 0, "0"), fleet(40, 4));
        assertThat(plan.batches().get(0).nodes()).extracting(RolloutCandidate::region)
                .containsExactlyInAnyOrder("r0", "r1", "r2", "r3");
    }

    @Test
    void randomOrderIsTheSameForTheSameSeedAndDiffersForAnother() {
        List<RolloutCandidate> fleet = fleet(60, 3);
        List<String> first = names(plan(withOrder(RolloutStrategy.Order.RANDOM, 7), fleet));
        List<String> again = names(plan(withOrder(RolloutStrategy.Order.RANDOM, 7), fleet));
        List<String> other = names(plan(withOrder(RolloutStrategy.Order.RANDOM, 8), fleet));
        assertThat(again).isEqualTo(first);
        assertThat(other).containsExactlyInAnyOrderElementsOf(first).isNotEqualTo(first);
        assertThat(names(plan(withOrder(RolloutStrategy.Order.NAME, 0), fleet))).isSorted();
    }

    @Test
    void skippedNodesAreNamedWithTheirReason() {
        List<RolloutCandidate> fleet = new ArrayList<>(fleet(10, 2));
        fleet.add(new RolloutCandidate(101, "off", "r0", false, "up", "0.2.7"));
        fleet.add(new RolloutCandidate(102, "done", "r0", true, "up", TARGET));
        fleet.add(new RolloutCandidate(103, "dead", "r1", true, "down", "0.2.7"));
        fleet.add(new RolloutCandidate(104, "gone", "r1", true, "unreachable", null));
        fleet.add(new RolloutCandidate(105, "new", "r1", true, null, null));
        RolloutPlan plan = plan(strategy(null, "rest", 0, 0, "0"), fleet);
        Map<String, SkipReason> skipped = plan.skipped().stream()
                .collect(Collectors.toMap(skip -> skip.node().name(), RolloutPlan.Skipped::reason));
        assertThat(skipped).containsOnly(Map.entry("off", SkipReason.DISABLED), Map.entry("done", SkipReason.ON_TARGET),
                Map.entry("dead", SkipReason.DOWN), Map.entry("gone", SkipReason.UNREACHABLE));
        // Never polled: its version is unknown and the update is idempotent, so it takes part.
        assertThat(names(plan)).contains("new").hasSize(11);
        assertThat(plan.eligible()).isEqualTo(11);
    }

    @Test
    void aRegionThatCannotSpareANodeHasItsHealthyNodesSkippedButNotItsDegradedOnes() {
        List<RolloutCandidate> fleet = List.of(new RolloutCandidate(1, "a1", "a", true, "up", "0.2.7"),
                new RolloutCandidate(2, "a2", "a", true, "up", "0.2.7"),
                new RolloutCandidate(3, "a3", "a", true, "degraded", "0.2.7"),
                new RolloutCandidate(4, "b1", "b", true, "up", "0.2.7"),
                new RolloutCandidate(5, "b2", "b", true, "up", "0.2.7"),
                new RolloutCandidate(6, "b3", "b", true, "up", "0.2.7"));
        RolloutPlan plan = RolloutPlanner.plan(strategy(null, "rest", 0, 2, "0"), TARGET, fleet,
                Map.of("a", 2, "b", 3), MINUTE);
        assertThat(plan.skipped()).extracting(skip -> skip.node().name()).containsExactly("a1", "a2");
        assertThat(plan.skipped()).extracting(RolloutPlan.Skipped::reason).containsOnly(SkipReason.REGION_MINIMUM);
        assertThat(names(plan)).containsExactlyInAnyOrder("a3", "b1", "b2", "b3");
    }

    @Test
    void budgetIsOverTheWholeRolloutCountOrShareRoundedDown() {
        assertThat(plan(strategy(null, "rest", 0, 0, "3"), fleet(50, 2)).allowedFailures()).isEqualTo(3);
        assertThat(plan(strategy(null, "rest", 0, 0, "5%"), fleet(59, 2)).allowedFailures()).isEqualTo(2);
        assertThat(plan(strategy(null, "rest", 0, 0, "5%"), fleet(60, 2)).allowedFailures()).isEqualTo(3);
        assertThat(FailureBudget.parse("0").allowed(1000)).isZero();
    }

    @Test
    void estimateCountsWavesOfTheBusiestRegionAndPausesBetweenBatches() {
        RolloutStrategy strategy = new RolloutStrategy(RolloutStrategy.Order.REGION, 0, null, false,
                BatchSize.parseList("6, rest"), 2, 0, null, null, Duration.ofSeconds(30), Duration.ofSeconds(10),
                false);
        // 12 nodes in 3 regions: batch one has 2 per region (1 wave), batch two 2 per region (1 wave).
        RolloutPlan plan = plan(strategy, fleet(12, 3));
        assertThat(plan.estimated()).isEqualTo(Duration.ofSeconds(90 + 90 + 10));
        // One region: batch one's 6 nodes take 3 waves, the second's 6 another 3.
        RolloutPlan oneRegion = plan(strategy, fleet(12, 1));
        assertThat(oneRegion.estimated()).isEqualTo(Duration.ofSeconds(6 * 90 + 10));
    }

    @Test
    void emptyEligibleSetHasNoBatches() {
        List<RolloutCandidate> done = List.of(new RolloutCandidate(1, "a", "r", true, "up", TARGET));
        RolloutPlan plan = plan(RolloutStrategy.defaults(), done);
        assertThat(plan.batches()).isEmpty();
        assertThat(plan.estimated()).isZero();
    }

    @Test
    void badSizesAndSettingsAreRefusedWithTheirField() {
        assertThatThrownBy(() -> BatchSize.parseList("1, rest, 5")).isInstanceOf(BadRequestProblem.class)
                .hasMessageContaining("rest must be the last");
        assertThatThrownBy(() -> BatchSize.parse("0")).isInstanceOf(BadRequestProblem.class);
        assertThatThrownBy(() -> BatchSize.parse("101%")).isInstanceOf(BadRequestProblem.class);
        assertThatThrownBy(() -> BatchSize.parse("five")).isInstanceOf(BadRequestProblem.class);
        assertThatThrownBy(() -> BatchSize.parseList(" ")).isInstanceOf(BadRequestProblem.class);
        assertThatThrownBy(() -> FailureBudget.parse("-1")).isInstanceOf(BadRequestProblem.class);
        assertThatThrownBy(() -> FailureBudget.parse("150%")).isInstanceOf(BadRequestProblem.class);
        assertThatThrownBy(() -> RolloutStrategy.Order.parse("fastest")).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> new RolloutStrategy(null, 0, BatchSize.REST, false, null, -1, -2, null,
                Duration.ZERO, Duration.ofHours(2), null, false))
                .isInstanceOfSatisfying(ProblemException.class, problem -> assertThat(problem.errors())
                        .extracting(error -> error.field()).containsExactlyInAnyOrder("canary", "maxPerRegion",
                                "minHealthyPerRegion", "healthyDeadline", "minHealthyTime"));
    }

    /** Many random fleets and strategies: every selected node is in exactly one batch or skipped, never both. */
    @Test
    void everyNodeIsPlannedExactlyOnceWhateverTheFleetAndStrategy() {
        Random random = new Random(42);
        String[] lists = {"1", "rest", "1, 5%, 25%, rest", "3, 10%", "50%", "7"};
        for (int round = 0; round < 300; round++) {
            List<RolloutCandidate> fleet = randomFleet(random, random.nextInt(150));
            String canary = random.nextBoolean() ? null : random.nextBoolean() ? "" + (1 + random.nextInt(5))
                    : (1 + random.nextInt(20)) + "%";
            RolloutStrategy strategy = new RolloutStrategy(RolloutStrategy.Order.values()[random.nextInt(3)],
                    random.nextLong(), canary == null ? null : BatchSize.parse(canary), false,
                    BatchSize.parseList(lists[random.nextInt(lists.length)]), random.nextInt(3), random.nextInt(3),
                    null, null, null, null, false);
            Map<String, Integer> healthy = new HashMap<>();
            fleet.stream().filter(RolloutCandidate::healthy).forEach(n -> healthy.merge(n.regionKey(), 1, Integer::sum));
            RolloutPlan plan = RolloutPlanner.plan(strategy, TARGET, fleet, healthy, MINUTE);
            List<Long> planned = plan.batches().stream().flatMap(batch -> batch.nodes().stream())
                    .map(RolloutCandidate::nodeId).toList();
            Set<Long> skipped = plan.skipped().stream().map(skip -> skip.node().nodeId()).collect(Collectors.toSet());
            assertThat(new HashSet<>(planned)).as("round %d", round).hasSize(planned.size());
            assertThat(planned).noneMatch(skipped::contains);
            assertThat(planned.size() + skipped.size()).isEqualTo(fleet.size());
            assertThat(plan.eligible()).isEqualTo(planned.size());
            assertThat(plan.batches()).allSatisfy(batch -> assertThat(batch.nodes()).isNotEmpty());
            for (int i = 0; i < plan.batches().size(); i++) {
                assertThat(plan.batches().get(i).index()).isEqualTo(i);
                assertThat(plan.batches().get(i).canary()).isEqualTo(i == 0 && canary != null);
            }
            plan.batches().stream().flatMap(batch -> batch.nodes().stream()).forEach(node -> {
                assertThat(node.enabled()).isTrue();
                assertThat(node.version()).isNotEqualTo(TARGET);
            });
        }
    }

    static List<RolloutCandidate> fleet(int size, int regions) {
        List<RolloutCandidate> nodes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            nodes.add(new RolloutCandidate(i + 1, String.format("pop-%03d", i), "r" + i % regions, true, "up",
                    "0.2.7"));
        }
        return nodes;
    }

    private static List<RolloutCandidate> randomFleet(Random random, int size) {
        String[] states = {"up", "up", "up", "degraded", "down", "unreachable", null};
        String[] versions = {"0.2.7", "0.2.7", TARGET, null};
        List<RolloutCandidate> nodes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            nodes.add(new RolloutCandidate(i + 1, "n" + random.nextInt(1000) + "-" + i,
                    random.nextInt(5) == 0 ? null : "r" + random.nextInt(4), random.nextInt(10) > 0,
                    states[random.nextInt(states.length)], versions[random.nextInt(versions.length)]));
        }
        return nodes;
    }

    private static RolloutPlan plan(RolloutStrategy strategy, List<RolloutCandidate> fleet) {
        Map<String, Integer> healthy = new HashMap<>();
        fleet.stream().filter(RolloutCandidate::healthy).forEach(n -> healthy.merge(n.regionKey(), 1, Integer::sum));
        return RolloutPlanner.plan(strategy, TARGET, fleet, healthy, MINUTE);
    }

    static RolloutStrategy strategy(String canary, String batches, int maxPerRegion, int minHealthy, String budget) {
        return new RolloutStrategy(RolloutStrategy.Order.REGION, 0, canary == null ? null : BatchSize.parse(canary),
                false, BatchSize.parseList(batches), maxPerRegion, minHealthy, FailureBudget.parse(budget), null, null,
                null, true);
    }

    private static RolloutStrategy withOrder(RolloutStrategy.Order order, long seed) {
        return new RolloutStrategy(order, seed, null, false, List.of(BatchSize.REST), 0, 0, null, null, null, null,
                false);
    }

    private static List<String> names(RolloutPlan plan) {
        return plan.batches().stream().flatMap(batch -> batch.nodes().stream()).map(RolloutCandidate::name).toList();
    }
}
