package io.popfleet.metrics;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.popfleet.ops.NodeAnswer;
import io.popfleet.ops.NodeStatus;

import static org.assertj.core.api.Assertions.assertThat;

/** A status answer becomes an observation; a token Pipe refuses makes a running node degraded. */
class NodeObservationTest {

    private static NodeStatus status(String auth) {
        return (NodeStatus) NodeAnswer.read("status", Map.of("service", Map.of("state", "running", "healthy", true),
                "auth", auth, "ports", List.of(Map.of("port", 8003, "status", "ours"))));
    }

    @Test
    void aRunningNodeWhoseTokenPipeRefusesIsDegradedAndSaysWhy() {
        NodeObservation expired = NodeObservation.fromStatus(status("expired"));
        NodeObservation ok = NodeObservation.fromStatus(status("ok"));
        NodeObservation unknown = NodeObservation.fromStatus(status("unknown"));

        assertThat(expired.state()).isEqualTo("degraded");
        assertThat(expired.problem()).contains("token expired");
        assertThat(ok.state()).isEqualTo("up");
        assertThat(unknown.state()).as("a token never asked about is no problem").isEqualTo("up");
    }
}
