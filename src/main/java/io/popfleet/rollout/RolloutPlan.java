package io.popfleet.rollout;

import java.time.Duration;
import java.util.List;

/**
 * What a rollout will do, before it starts: every eligible node in exactly one batch (the canary first, when there
 * is one), every other selected node skipped with its reason, the failures tolerated and the time it should take.
 */
public record RolloutPlan(List<Batch> batches, List<Skipped> skipped, int eligible, int allowedFailures,
        Duration estimated) {

    public RolloutPlan {
        batches = List.copyOf(batches);
        skipped = List.copyOf(skipped);
    }

    /** @param index 0 for the first batch (the canary when {@code canary}) */
    public record Batch(int index, boolean canary, List<RolloutCandidate> nodes) {
        public Batch {
            nodes = List.copyOf(nodes);
        }
    }

    public record Skipped(RolloutCandidate node, SkipReason reason) {
    }
}
