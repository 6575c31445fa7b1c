package io.popfleet.rollout;

import java.time.Instant;
import java.util.Map;

/**
 * A rollout as the API and the pages show it.
 *
 * @param nodes how many of its nodes are in each step ({@link NodeStep#dbValue()})
 * @param failures nodes failed or reverted, against {@code allowedFailures}
 * @param gate what the rollout waits for now, in words ("soak until …", "pause until …"); null when it is working
 *        or has ended
 * @param gateUntil when that wait ends, when it has an end
 */
public record RolloutView(long id, String version, String state, String reason, String selection,
        StrategySpec strategy, int currentBatch, int batches, int eligible, int allowedFailures, int failures,
        Map<String, Integer> nodes, String createdBy, Instant createdAt, Instant updatedAt, Instant finishedAt, String gate,
        Instant gateUntil) {

    /** The current batch counted from one, as the pages show it. */
    public int batchNumber() {
        return currentBatch + 1;
    }
}
