package io.popfleet.rollout;

/**
 * A node the rollout's selection covers, as the inventory and the newest monitoring observation know it.
 *
 * @param region its region, or null
 * @param state the newest observation's state ({@code up}, {@code degraded}, {@code down}, {@code unreachable}),
 *        null when the node was never polled
 * @param version the node binary version it reported, null when unknown
 */
public record RolloutCandidate(long nodeId, String name, String region, boolean enabled, String state,
        String version) {

    /** The key per-region limits count by: nodes without a region form one region of their own. */
    public String regionKey() {
        return region == null || region.isBlank() ? "" : region;
    }

    /** Counted healthy by the per-region minimum: up at its last observation. */
    public boolean healthy() {
        return "up".equals(state);
    }
}
