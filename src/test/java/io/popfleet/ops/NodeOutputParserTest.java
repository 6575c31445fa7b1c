package io.popfleet.ops;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeOutputParserTest {

    @Test
    void aGoodEnvelopeParsesWithItsData() throws Exception {
        NodeOutput out = NodeOutputParser.parse("health", """
                {"schema":"popfleet.node/v1","command":"health","ok":true,"data":{"healthy":true,"reputation":0.93},
                 "tool_version":"1.0.0","node_time":"2026-11-26T06:00:00Z"}
                """);
        assertThat(out.ok()).isTrue();
        assertThat(out.data()).containsEntry("healthy", true).containsEntry("reputation", 0.93);
        assertThat(out.toolVersion()).isEqualTo("1.0.0");
    }

    @Test
    void aNulInTheJsonIsShownWhereItWasAndNoted() throws Exception {
        // As the node sends it: the six characters of the JSON escape, in a value, a key and an error message.
        String nul = "\\" + "u0000";
        NodeOutput out = NodeOutputParser.parse("restart", "{\"schema\":\"popfleet.node/v1\",\"command\":\"restart\","
                + "\"ok\":false,\"data\":{\"log_tail\":[\"a" + nul + "b\"],\"k" + nul + "\":1},"
                + "\"error\":{\"code\":\"service_failed\",\"message\":\"died" + nul + "\"}}");
        assertThat(out.hadNul()).isTrue();
        assertThat(out.data()).containsEntry("log_tail", java.util.List.of("a" + NulBytes.SHOWN_AS + "b"))
                .containsEntry("k" + NulBytes.SHOWN_AS, 1);
        assertThat(out.errorMessage()).isEqualTo("died" + NulBytes.SHOWN_AS);
        assertThat(NodeOutputParser.parse("restart", "{\"schema\":\"popfleet.node/v1\",\"command\":\"restart\","
                + "\"ok\":true,\"data\":{}}").hadNul()).isFalse();
    }

    @Test
    void aFailedCommandCarriesItsErrorCode() throws Exception {
        NodeOutput out = NodeOutputParser.parse("restart", """
                {"schema":"popfleet.node/v1","command":"restart","ok":false,"data":null,
                 "error":{"code":"port_in_use","message":"port 8003 is taken by nginx"}}""");
        assertThat(out.ok()).isFalse();
        assertThat(out.errorCode()).isEqualTo("port_in_use");
        assertThat(out.errorMessage()).contains("nginx");
    }

    @Test
    void anythingElseIsBadOutputAndKeepsTheRawText() {
        String[] bad = {
            "", "not json", "[1,2]", "{\"schema\":\"popfleet.node/v2\",\"command\":\"health\",\"ok\":true}",
            "{\"command\":\"health\",\"ok\":true}",
            "{\"schema\":\"popfleet.node/v1\",\"command\":\"status\",\"ok\":true}",
            "{\"schema\":\"popfleet.node/v1\",\"command\":\"health\",\"ok\":\"yes\"}",
            "{\"schema\":\"popfleet.node/v1\",\"command\":\"health\",\"ok\":false}",
            "{\"schema\":\"popfleet.node/v1\",\"command\":\"health\",\"ok\":true} {\"second\":1}",
        };
        for (String text : bad) {
            assertThatThrownBy(() -> NodeOutputParser.parse("health", text)).as(text)
                    .isInstanceOfSatisfying(NodeOutputParser.BadOutputException.class,
                            e -> assertThat(e.raw()).isEqualTo(text));
        }
    }
}
