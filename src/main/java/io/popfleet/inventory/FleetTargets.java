package io.popfleet.inventory;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

/** What every node of the fleet should be, beyond its own inventory entry. Drift and alerts measure against it. */
@ConfigMapping(prefix = "popfleet.fleet")
public interface FleetTargets {

    /** The node binary version every node should run; unset: the newest version seen in the fleet. */
    Optional<String> targetVersion();

    /** Whether every node should serve ports 80 and 443 as well as 8003; unset: each node as configured. */
    @WithName("ports-80-443")
    Optional<Boolean> ports80443();
}
