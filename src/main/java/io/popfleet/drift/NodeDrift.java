package io.popfleet.drift;

import java.time.Instant;
import java.util.List;

/**
 * A node with at least one disagreement.
 *
 * @param observedAt when the node last answered; the facts are that old
 */
public record NodeDrift(long nodeId, String name, String host, String state, Instant observedAt,
        List<DriftFinding> findings) {
}
