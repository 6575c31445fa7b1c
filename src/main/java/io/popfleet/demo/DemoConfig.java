package io.popfleet.demo;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The demo fleet: simulated PoP nodes served by the controller itself, on loopback only. Off by default. */
@ConfigMapping(prefix = "popfleet.demo")
public interface DemoConfig {

    /** How many simulated nodes to start (0: none). They listen on 127.0.0.2, 127.0.0.3, ... */
    @WithDefault("0")
    int nodes();

    /** The SSH port every demo node listens on, each on its own loopback address. */
    @WithDefault("2222")
    int port();
}
