package io.popfleet.runs;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The life of one node's part in a run, and the one table of moves allowed between states. {@code orphaned} is
 * a claim whose executor stopped heart-beating: a read is queued again once, a mutating operation waits for an
 * operator (its effect on the node is unknown) unless its executor was alive after all and reports what happened
 * (a late result, stored and audited).
 */
public enum TargetState {
    QUEUED, CLAIMED, RUNNING, OK, FAILED, CANCELLED, ORPHANED;

    private static final Map<TargetState, Set<TargetState>> ALLOWED = Map.of(
            QUEUED, EnumSet.of(CLAIMED, CANCELLED),
            CLAIMED, EnumSet.of(RUNNING, QUEUED, CANCELLED, ORPHANED),
            RUNNING, EnumSet.of(OK, FAILED, CANCELLED, ORPHANED),
            ORPHANED, EnumSet.of(QUEUED, OK, FAILED),
            OK, EnumSet.noneOf(TargetState.class),
            FAILED, EnumSet.noneOf(TargetState.class),
            CANCELLED, EnumSet.noneOf(TargetState.class));

    public boolean canMoveTo(TargetState next) {
        return ALLOWED.get(this).contains(next);
    }

    public boolean isFinal() {
        return ALLOWED.get(this).isEmpty();
    }

    /** Waiting for or on a node: the run is not over while one of its targets is here; the rest count as done. */
    public boolean isPending() {
        return this == QUEUED || this == CLAIMED || this == RUNNING;
    }

    public String dbValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static TargetState fromDb(String value) {
        return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }

    /** Every state's word, in the table's order: the one list the API message, the pages and their script use. */
    public static List<String> dbValues() {
        return Arrays.stream(values()).map(TargetState::dbValue).toList();
    }
}
