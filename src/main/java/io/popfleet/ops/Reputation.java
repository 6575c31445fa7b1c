package io.popfleet.ops;

import java.util.Map;

/**
 * The node tool's reputation estimate, as {@code status} and {@code leaderboard} report it: Pipe's formula over
 * the last 7 days (docs/node-json.md, Reputation).
 */
public record Reputation(Double score, String band, Double uptime, Double historical, Double egress,
        Long egressBytes7d) {

    static Reputation read(Object value) {
        Map<String, Object> reputation = AnswerFields.map(value);
        Map<String, Object> components = AnswerFields.map(reputation.get("components"));
        return new Reputation(AnswerFields.number(reputation.get("score")), AnswerFields.text(reputation.get("band")),
                AnswerFields.number(components.get("uptime")), AnswerFields.number(components.get("historical")),
                AnswerFields.number(components.get("egress")), AnswerFields.whole(reputation.get("egress_bytes_7d")));
    }
}
