package io.popfleet.rollout;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The life of a rollout and the one table of moves between its states. Only {@code running} starts nodes; nodes
 * already updating when a rollout is paused, stopped or aborted finish (and are gated and reverted) all the same.
 */
public enum RolloutState {
    RUNNING, PAUSED, AWAITING_PROMOTION, FINISHED, FAILED, ABORTED;

    private static final Map<RolloutState, Set<RolloutState>> ALLOWED = Map.of(
            RUNNING, EnumSet.of(PAUSED, AWAITING_PROMOTION, FINISHED, FAILED, ABORTED),
            PAUSED, EnumSet.of(RUNNING, ABORTED, FAILED),
            AWAITING_PROMOTION, EnumSet.of(RUNNING, ABORTED, FAILED),
            FINISHED, EnumSet.noneOf(RolloutState.class),
            FAILED, EnumSet.noneOf(RolloutState.class),
            ABORTED, EnumSet.noneOf(RolloutState.class));

    public boolean canMoveTo(RolloutState next) {
        return ALLOWED.get(this).contains(next);
    }

    /**
     * Whether the release may be shipped ahead to the nodes that wait: while the rollout runs or waits for its
     * promotion, not once paused or ended (RolloutConfig#stageAhead).
     */
    public boolean stagesAhead() {
        return this == RUNNING || this == AWAITING_PROMOTION;
    }

    public boolean isFinal() {
        return ALLOWED.get(this).isEmpty();
    }

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RolloutState fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
