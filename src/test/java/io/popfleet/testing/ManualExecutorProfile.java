package io.popfleet.testing;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** No background executor: the test claims and completes targets itself. */
public class ManualExecutorProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("popfleet.runs.executor-enabled", "false");
    }
}
