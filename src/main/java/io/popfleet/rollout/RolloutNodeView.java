package io.popfleet.rollout;

import java.time.Instant;

/** One node of a rollout: its batch (null when skipped), its step and why it failed or was skipped. */
public record RolloutNodeView(String node, String region, Integer batch, String state, String skipReason,
        String previousVersion, Long runId, String failure, Instant updatedAt) {
}
