package io.popfleet.rollout;

import java.util.List;
import java.util.Locale;

/**
 * Where one node's update stands in its rollout. A node moves forward only, each move one row update in the
 * engine's tick, so a controller that dies leaves every node in a state the next tick continues from.
 */
public enum NodeStep {
    /** Not part of the rollout (the preview's reason is kept). */
    SKIPPED,
    /** Waiting for its batch and for room in its region. */
    PENDING,
    /** The release is on its way to the node (content-addressed: shipping again is harmless). */
    SHIPPING,
    /** The node holds the release; its update run is planned at the next tick. */
    SHIPPED,
    /** Its {@code update --shipped} target is queued or running. */
    UPDATING,
    /** Updated and healthy; must stay so until {@code gate_until}. */
    GATING,
    /** Its {@code health} check after the minimum healthy time is queued or running. */
    CHECKING,
    /** Failed its gate; its {@code update --rollback} is queued or running. */
    REVERTING,
    /** Updated and healthy, its batch done: watched until {@code soak_until} before the next batch. */
    SOAKING,
    /** Its status read at the soak's end is queued or running; then compared with the figures before the update. */
    SOAK_CHECKING,
    HEALTHY, FAILED, REVERTED, CANCELLED;

    /** The steps in which a node is being worked on: they count against the per-region limit. */
    public static final List<NodeStep> IN_FLIGHT = List.of(SHIPPING, SHIPPED, UPDATING, GATING, CHECKING, REVERTING);

    /**
     * Soaking nodes run the new version, healthy: not in flight for the per-region limits and the minimum healthy,
     * but not done either (their batch, and a stopped rollout, wait for them).
     */
    public static final List<NodeStep> SOAK = List.of(SOAKING, SOAK_CHECKING);

    /** Every step a rollout waits for before it may end. */
    public static final List<NodeStep> UNFINISHED = List.of(SHIPPING, SHIPPED, UPDATING, GATING, CHECKING, REVERTING,
            SOAKING, SOAK_CHECKING);

    /** Failures against the budget: a node that failed, whether or not it is back on its previous version. */
    public static final List<NodeStep> FAILURES = List.of(FAILED, REVERTED);

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isFinal() {
        return this == HEALTHY || this == FAILED || this == REVERTED || this == CANCELLED || this == SKIPPED;
    }

    static String sqlList(List<NodeStep> steps) {
        return String.join(", ", steps.stream().map(step -> "'" + step.dbValue() + "'").toList());
    }
}
