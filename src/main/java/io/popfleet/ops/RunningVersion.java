package io.popfleet.ops;

import java.util.Map;

/**
 * The node binary's version as an answer other than {@code status} reports it: {@code update} (also as a roll-back)
 * says what it installed, {@code health} and {@code version} what runs (docs/node-json.md). The controller keeps it as
 * the node's newest known version at once, so the fleet's versions and drift do not wait for the next poll.
 */
public record RunningVersion(String version) implements NodeAnswer {

    static RunningVersion read(String field, Map<String, Object> data) {
        String version = AnswerFields.text(data.get(field));
        return version == null || version.isBlank() ? null : new RunningVersion(version);
    }
}
