package io.popfleet.rollout;

import java.time.Instant;

/**
 * A named, reusable strategy as the API shows it.
 *
 * @param defaultFor the group whose default this strategy is (the wizard offers it first for that group), or null
 */
public record StoredStrategy(String name, String description, String defaultFor, StrategySpec strategy,
        String createdBy, Instant createdAt, String updatedBy, Instant updatedAt) {

    /**
     * What an operator sends to store one; on a PUT the path names it and {@code name} may be left out.
     */
    public record Input(String name, String description, String defaultFor, StrategySpec strategy) {
    }
}
