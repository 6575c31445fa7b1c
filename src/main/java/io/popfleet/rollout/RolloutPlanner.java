package io.popfleet.rollout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Cuts a rollout's nodes into batches: pure, so the preview an operator reads is exactly what the rollout does
 * (the same inputs give the same plan, random order included, through the strategy's seed).
 */
public final class RolloutPlanner {

    private RolloutPlanner() {
    }

    /**
     * @param candidates the selected nodes, any order
     * @param healthyByRegion healthy (up) nodes per {@link RolloutCandidate#regionKey()} in the whole fleet, not
     *        only the selection: the per-region minimum protects the region
     * @param perNode how long one node's update and gate usually take, for the estimate
     */
    public static RolloutPlan plan(RolloutStrategy strategy, String targetVersion,
            List<RolloutCandidate> candidates, Map<String, Integer> healthyByRegion, Duration perNode) {
        List<RolloutPlan.Skipped> skipped = new ArrayList<>();
        List<RolloutCandidate> eligible = new ArrayList<>();
        for (RolloutCandidate node : byName(candidates)) {
            SkipReason reason = skipReason(strategy, targetVersion, node, healthyByRegion);
            if (reason == null) {
                eligible.add(node);
            } else {
                skipped.add(new RolloutPlan.Skipped(node, reason));
            }
        }
        List<RolloutCandidate> ordered = order(strategy, eligible);
        List<RolloutPlan.Batch> batches = new ArrayList<>();
        int total = ordered.size();
        int next = 0;
        if (strategy.canary() != null && total > 0) {
            int size = strategy.canary().of(total, total);
            batches.add(new RolloutPlan.Batch(0, true, ordered.subList(0, size)));
            next = size;
        }
        int sizeIndex = 0;
        while (next < total) {
            BatchSize size = strategy.batches().get(Math.min(sizeIndex++, strategy.batches().size() - 1));
            int take = size.of(total, total - next);
            batches.add(new RolloutPlan.Batch(batches.size(), false, ordered.subList(next, next + take)));
            next += take;
        }
        return new RolloutPlan(batches, skipped, total, strategy.budget().allowed(total),
                estimate(strategy, batches, perNode));
    }

    static SkipReason skipReason(RolloutStrategy strategy, String targetVersion, RolloutCandidate node,
            Map<String, Integer> healthyByRegion) {
        if (!node.enabled()) {
            return SkipReason.DISABLED;
        }
        if (targetVersion.equals(node.version())) {
            return SkipReason.ON_TARGET;
        }
        if ("down".equals(node.state())) {
            return SkipReason.DOWN;
        }
        if ("unreachable".equals(node.state())) {
            return SkipReason.UNREACHABLE;
        }
        if (node.healthy() && strategy.minHealthyPerRegion() > 0
                && healthyByRegion.getOrDefault(node.regionKey(), 0) - 1 < strategy.minHealthyPerRegion()) {
            return SkipReason.REGION_MINIMUM;
        }
        return null;
    }

    /**
     * Region order interleaves the regions (one node of each in turn, regions and nodes by name), so the canary and
     * the first batches touch every region a little instead of one region a lot.
     */
    static List<RolloutCandidate> order(RolloutStrategy strategy, List<RolloutCandidate> eligible) {
        List<RolloutCandidate> sorted = byName(eligible);
        switch (strategy.order()) {
            case NAME:
                return sorted;
            case RANDOM:
                Collections.shuffle(sorted, new Random(strategy.seed()));
                return sorted;
            default:
                Map<String, List<RolloutCandidate>> regions = new java.util.TreeMap<>();
                sorted.forEach(node -> regions.computeIfAbsent(node.regionKey(), key -> new ArrayList<>()).add(node));
                List<RolloutCandidate> interleaved = new ArrayList<>(sorted.size());
                for (int round = 0; interleaved.size() < sorted.size(); round++) {
                    for (List<RolloutCandidate> nodes : regions.values()) {
                        if (round < nodes.size()) {
                            interleaved.add(nodes.get(round));
                        }
                    }
                }
                return interleaved;
        }
    }

    /**
     * Each batch takes as many waves as its busiest region needs under the per-region limit; each wave one
     * node's update plus its minimum healthy time; a pause after every batch but the last; the soak (and its one
     * status read, as long as one node's work) after every batch.
     */
    static Duration estimate(RolloutStrategy strategy, List<RolloutPlan.Batch> batches, Duration perNode) {
        Duration wave = perNode.plus(strategy.minHealthyTime());
        Duration total = Duration.ZERO;
        for (RolloutPlan.Batch batch : batches) {
            int busiest = countByRegion(batch.nodes()).values().stream().mapToInt(Integer::intValue).max().orElse(0);
            int waves = strategy.maxPerRegion() == 0 ? 1 : (busiest + strategy.maxPerRegion() - 1)
                    / strategy.maxPerRegion();
            total = total.plus(wave.multipliedBy(waves));
        }
        if (!strategy.soak().isZero()) {
            total = total.plus(strategy.soak().plus(perNode).multipliedBy(batches.size()));
        }
        if (batches.size() > 1) {
            total = total.plus(strategy.pauseBetweenBatches().multipliedBy(batches.size() - 1L));
        }
        return total;
    }

    private static List<RolloutCandidate> byName(List<RolloutCandidate> nodes) {
        List<RolloutCandidate> sorted = new ArrayList<>(nodes);
        sorted.sort(Comparator.comparing(RolloutCandidate::name).thenComparingLong(RolloutCandidate::nodeId));
        return sorted;
    }

    /** Nodes per region key, in first-seen order: what the per-region limits count. */
    static Map<String, Integer> countByRegion(List<RolloutCandidate> nodes) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        nodes.forEach(node -> counts.merge(node.regionKey(), 1, Integer::sum));
        return counts;
    }
}
