package io.popfleet.drift;

/** One disagreement on one node: what was expected, what the node has, and the command that mends it. */
public record DriftFinding(DriftKind kind, String expected, String actual, DriftFix fix) {

    public String code() {
        return kind.code();
    }

    public String title() {
        return kind.title();
    }
}
