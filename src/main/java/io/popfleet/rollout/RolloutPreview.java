package io.popfleet.rollout;

import java.util.List;

/** The preview an operator reads before starting: every node's batch or reason to be skipped, and the time. */
public record RolloutPreview(String version, String sha256, String selection, StrategySpec strategy, int eligible,
        int allowedFailures, long estimatedSeconds, List<Batch> batches, List<Skipped> skipped) {

    public record Batch(int index, boolean canary, List<String> nodes) {
    }

    public record Skipped(String node, String reason, String why) {
    }

    static RolloutPreview of(Release release, String selection, StrategySpec strategy, RolloutPlan plan) {
        return new RolloutPreview(release.version(), release.sha256(), selection, strategy,
                plan.eligible(), plan.allowedFailures(), plan.estimated().toSeconds(),
                plan.batches().stream().map(batch -> new Batch(batch.index(), batch.canary(),
                        batch.nodes().stream().map(RolloutCandidate::name).toList())).toList(),
                plan.skipped().stream().map(skip -> new Skipped(skip.node().name(), skip.reason().code(),
                        skip.reason().text())).toList());
    }
}
