package io.popfleet.rollout;

/** Why a selected node takes no part in a rollout; the preview names one per skipped node. */
public enum SkipReason {
    DISABLED("disabled in the inventory"),
    ON_TARGET("already runs the target version"),
    DOWN("down at its last observation"),
    UNREACHABLE("unreachable at its last observation"),
    IN_ROLLOUT("another open rollout holds it"),
    REGION_MINIMUM("its region cannot spare it: updating it would leave fewer healthy nodes than the minimum");

    private final String text;

    SkipReason(String text) {
        this.text = text;
    }

    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public String text() {
        return text;
    }
}
