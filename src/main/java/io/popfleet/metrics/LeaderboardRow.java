package io.popfleet.metrics;

/**
 * A node's place in the fleet ranking and why: its reputation components, egress and points, and where it
 * stood a day and a week ago (null where there is no observation that old), and its position in an external
 * ranking where the node has a source configured.
 *
 * @param externalRank the position the node's ranking source gave, null without a source or an answer
 */
public record LeaderboardRow(long rank, long nodeId, String name, String region, String state, Double reputation,
        Double uptimeScore, Double historicalScore, Double egressScore, Long egressBytes7d, Long points,
        Long rankDayAgo, Long rankWeekAgo, Long externalRank, Long externalTotal, String externalSource) {

    /** Places gained (positive) or lost since then. */
    public Long movementDay() {
        return rankDayAgo == null ? null : rankDayAgo - rank;
    }

    public Long movementWeek() {
        return rankWeekAgo == null ? null : rankWeekAgo - rank;
    }
}
