package io.popfleet.drift;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One disagreement on one node: what was expected, what the node has, and the command that mends it. */
@JsonPropertyOrder({"code", "title", "expected", "actual", "fix"})
public record DriftFinding(@JsonIgnore DriftKind kind, String expected, String actual, DriftFix fix) {

    /** The stable code the API and filters use, e.g. {@code wallet_process}. */
    @JsonProperty
    public String code() {
        return kind.code();
    }

    @JsonProperty
    public String title() {
        return kind.title();
    }
}
