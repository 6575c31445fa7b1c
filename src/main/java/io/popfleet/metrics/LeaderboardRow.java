package io.popfleet.metrics;

/**
 * A node's place in the fleet ranking and why: its reputation components, egress and points, and where it
 * stood a day and a week ago (null where there is no observation that old).
 */
public record LeaderboardRow(long rank, long nodeId, String name, String region, String state, Double reputation,
        Double uptimeScore, Double historicalScore, Double egressScore, Long egressBytes7d, Long points,
        Long rankDayAgo, Long rankWeekAgo) {

    /** Places gained (positive) or lost since then. */
    public Long movementDay() {
        return rankDayAgo == null ? null : rankDayAgo - rank;
    }

    public Long movementWeek() {
        return rankWeekAgo == null ? null : rankWeekAgo - rank;
    }
}
