package io.popfleet.ops;

import java.util.Map;

/**
 * A node's reputation as {@code status} and {@code leaderboard} report it: the Pipe binary's own breakdown or the
 * node tool's estimate with Pipe's formula over the last 7 days (docs/node-json.md, Reputation).
 *
 * @param source where the score and its components came from; null when the node did not say
 * @param egressSource where the 7-day egress bytes came from (the binary prints none: so far always the estimate)
 */
public record Reputation(Double score, String band, Double uptime, Double historical, Double egress,
        Long egressBytes7d, FigureSource source, FigureSource egressSource) {

    static Reputation read(Object value) {
        Map<String, Object> reputation = AnswerFields.map(value);
        Map<String, Object> components = AnswerFields.map(reputation.get("components"));
        Map<String, Object> sources = AnswerFields.map(reputation.get("sources"));
        FigureSource source = FigureSource.of(sources.get("score"));
        return new Reputation(AnswerFields.number(reputation.get("score")), AnswerFields.text(reputation.get("band")),
                AnswerFields.number(components.get("uptime")), AnswerFields.number(components.get("historical")),
                AnswerFields.number(components.get("egress")), AnswerFields.whole(reputation.get("egress_bytes_7d")),
                source != null ? source : FigureSource.of(reputation.get("source")),
                FigureSource.of(sources.get("egress_bytes_7d")));
    }

    /** Whether the score is the Pipe binary's own rather than an estimate. */
    public boolean fromBinary() {
        return source == FigureSource.BINARY;
    }
}
