package io.popfleet.ops;

import java.util.Map;

/**
 * What {@code pop leaderboard} reports: the node's ranking inputs and, where the node has a ranking source, its
 * position there.
 *
 * @param rankingSource null when the node has no ranking source configured
 */
public record LeaderboardAnswer(String nodeId, Reputation reputation, Long points, RankingSource rankingSource)
        implements NodeAnswer {

    /**
     * A position from an external ranking ({@code POP_RANKING_URL}).
     *
     * @param simulated true for a test stub's ranking
     * @param error why the source gave no position, when it did not
     */
    public record RankingSource(String url, Long rank, Long total, boolean simulated, String error) {
    }

    static LeaderboardAnswer read(Map<String, Object> data) {
        Object value = data.get("ranking_source");
        RankingSource source = null;
        if (value instanceof Map<?, ?>) {
            Map<String, Object> s = AnswerFields.map(value);
            source = new RankingSource(AnswerFields.text(s.get("url")), AnswerFields.whole(s.get("rank")),
                    AnswerFields.whole(s.get("total")), Boolean.TRUE.equals(AnswerFields.bool(s.get("simulated"))),
                    AnswerFields.text(s.get("error")));
        }
        return new LeaderboardAnswer(AnswerFields.text(data.get("node_id")), Reputation.read(data.get("reputation")),
                AnswerFields.whole(data.get("points")), source);
    }
}
