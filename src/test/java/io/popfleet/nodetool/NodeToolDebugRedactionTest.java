package io.popfleet.nodetool;

import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --debug} traces every line to stderr; the node's Pipe token from node_info.json must never be in it. */
class NodeToolDebugRedactionTest extends SimulatedNodeTest {

    @Test
    void debugTraceOfCommandsThatReadTheIdentityNeverShowsTheNodeToken() throws Exception {
        String identity = Files.readString(node.resolve("var/lib/pop/node_info.json"));
        Matcher token = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"").matcher(identity);
        assertThat(token.find()).as("the simulated identity carries a token").isTrue();

        for (String command : new String[] { "health", "check", "backup" }) {
            PopTool.Result traced = pop().run("--debug", "--json", command);

            assertThat(traced.stderr()).as("%s traces something", command).contains("+ ");
            assertThat(traced.stderr()).as("%s --debug stderr", command).doesNotContain(token.group(1));
        }
    }

    @Test
    void debugStillTracesAfterTheIdentityIsRead() {
        PopTool.Result traced = pop().run("--debug", "--json", "health");

        // The trace is switched off only around the identity file, then back on for the rest of the command.
        String stderr = traced.stderr();
        assertThat(stderr).contains("pop_identity: set +x").doesNotContain("pop_identity_read:");
        String afterIdentity = stderr.substring(stderr.indexOf("pop_identity: set +x"));
        assertThat(afterIdentity.lines().skip(1).filter(line -> line.startsWith("+ ")).count())
                .as("traced lines after the identity was read").isGreaterThan(5);
    }
}
