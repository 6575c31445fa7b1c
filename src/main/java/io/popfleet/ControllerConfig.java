package io.popfleet;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Settings of the controller as a whole; feature settings live beside their feature. */
@ConfigMapping(prefix = "popfleet")
public interface ControllerConfig {

    /**
     * Where the controller keeps its files: the embedded database, the master key. Defaults to ~/.popfleet; set
     * {@code POPFLEET_DATA_DIR} to move it.
     */
    @WithName("data-dir")
    Optional<String> dataDir();

    /** Acknowledges listening beyond loopback before users and roles exist; without it the controller warns. */
    @WithName("allow-remote")
    @WithDefault("false")
    boolean allowRemote();
}
