package io.popfleet.demo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import static org.assertj.core.api.Assertions.assertThat;

class DemoLoopbackOnlyTest {

    private static SmallRyeConfig config(Map<String, String> operatorSettings) {
        // Ordinal 400: where system properties sit, the strongest thing an operator usually sets.
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(operatorSettings, "operator", 400))
                .withSources(new DemoLoopbackOnly()).build();
    }

    @Test
    void aRunningDemoTurnsLoopbackOnlyOnEvenWhenTheOperatorTurnedItOff() {
        SmallRyeConfig config = config(Map.of("popfleet.demo.nodes", "3", "popfleet.runs.loopback-only", "false"));

        assertThat(config.getValue("popfleet.runs.loopback-only", Boolean.class)).isTrue();
        assertThat(config.getConfigValue("popfleet.runs.loopback-only").getSourceName())
                .contains(DemoLoopbackOnly.NAME);
    }

    @Test
    void withoutDemoNodesTheOperatorsSettingStands() {
        assertThat(config(Map.of("popfleet.demo.nodes", "0", "popfleet.runs.loopback-only", "false"))
                .getValue("popfleet.runs.loopback-only", Boolean.class)).isFalse();
        assertThat(config(Map.of()).getOptionalValue("popfleet.runs.loopback-only", Boolean.class)).isEmpty();
        assertThat(config(Map.of("popfleet.demo.nodes", "many")).getOptionalValue("popfleet.runs.loopback-only",
                Boolean.class)).isEmpty();
    }
}
