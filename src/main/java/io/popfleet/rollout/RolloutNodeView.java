package io.popfleet.rollout;

import java.time.Instant;

/**
 * One node of a rollout: its batch (null when skipped), its step and why it failed or was skipped, and whether the
 * release was staged on it ahead of its turn (null: not ordered ahead; false: ordered, not (yet) there).
 */
public record RolloutNodeView(String node, String region, Integer batch, String state, String skipReason,
        String previousVersion, Long runId, String failure, Instant updatedAt, Boolean stagedAhead) {
}
