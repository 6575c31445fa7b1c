package io.popfleet.demo;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * While the demo fleet runs ({@code popfleet.demo.nodes} above 0), the executor contacts loopback addresses only:
 * the demo sets the runs setting {@code popfleet.runs.loopback-only}, so the runs package needs to know nothing of
 * the demo. Its ordinal is above every source an operator sets (system properties 400, environment 300,
 * application.properties 250), so a demo cannot be talked into reaching beyond this machine, as before.
 * Registered in {@code META-INF/services/io.smallrye.config.ConfigSourceFactory}.
 */
public class DemoLoopbackOnly implements ConfigSourceFactory {

    static final String NAME = "popfleet demo: loopback only";
    static final int ORDINAL = 10_000;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (demoNodes(context.getValue("popfleet.demo.nodes")) <= 0) {
            return List.of();
        }
        // The demo's groups get the default daily backup schedule; its first tick comes early so the README's tour
        // shows backups pulled into the store within a minute rather than after the usual two.
        return List.of(new PropertiesConfigSource(Map.of("popfleet.runs.loopback-only", "true",
                "popfleet.backup.first-tick", "40s"), NAME, ORDINAL));
    }

    // A value that is not a number is DemoConfig's to refuse at startup; here it simply turns nothing on.
    private static int demoNodes(ConfigValue value) {
        if (value == null || value.getValue() == null) {
            return 0;
        }
        try {
            return Integer.parseInt(value.getValue().trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
