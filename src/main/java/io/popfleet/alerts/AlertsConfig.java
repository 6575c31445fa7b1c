package io.popfleet.alerts;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Alert rules and where alerts go. */
@ConfigMapping(prefix = "popfleet.alerts")
public interface AlertsConfig {

    /** A JSON POST per alert opened or resolved; unset: alerts only show in the UI and API. */
    Optional<String> webhookUrl();

    /** A node is "down" after this many polls in a row that found it down or unreachable. */
    @WithDefault("3")
    int downPolls();

    /** Fire when reputation fell by more than this (0-1 scale) against the newest observation a day ago. */
    @WithDefault("0.1")
    double reputationDrop();

    @WithDefault("60s")
    Duration evaluateInterval();

    @WithDefault("true")
    boolean enabled();
}
