package io.popfleet.nodetool;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The one JSON writer of the tool: whatever goes in comes back out of a JSON parser unchanged. */
class JsonEscapeTest extends SimulatedNodeTest {

    @Test
    void jsonEscapeRoundTripsHostileStrings() throws Exception {
        List<String> values = List.of("plain", "quote \" and backslash \\ and slash /", "new\nline\r\ttab",
                "bell \u0007 escape \u001b[31m del \u007f", "$(touch x) `id` ; rm -rf / && || > <", "{\"json\":[1,2]}",
                "ünïcødé ✓ 日本", "", "'single'", "\\u0041 literal");
        StringBuilder script = new StringBuilder("set -euo pipefail\nsource \"$1\"\nargs=()\n");
        script.append("for v in \"${@:2}\"; do args+=(\"$(js \"$v\")\"); done\n");
        script.append("printf '%s\\n' \"$(jo values \"$(ja \"${args[@]}\")\" n \"$(jn 42)\" bad \"$(jn '1; x')\" t \"$(jb yes)\")\"\n");
        java.nio.file.Path file = temp.resolve("escape.sh");
        Files.writeString(file, script);
        List<String> cmd = new java.util.ArrayList<>(List.of("/bin/bash", file.toString(),
                PopTool.scriptsDir().resolve("lib/20-json.sh").toString()));
        cmd.addAll(values);
        PopTool.Result r = PopTool.exec(cmd, Map.of("PATH", PopTool.DEFAULT_PATH, "LC_ALL", "C"), Duration.ofSeconds(20));
        assertThat(r.exitCode()).as("%s", r).isZero();
        JsonNode json = new ObjectMapper().readTree(r.stdout());
        for (int i = 0; i < values.size(); i++) {
            assertThat(json.get("values").get(i).asText()).isEqualTo(values.get(i));
        }
        assertThat(json.get("n").asInt()).isEqualTo(42);
        assertThat(json.get("bad").isNull()).isTrue();
        assertThat(json.get("t").asBoolean()).isTrue();
    }

    @Test
    void aSecondMutatingCommandIsRefusedWhileOneHoldsTheLock() throws Exception {
        java.nio.file.Path lock = node.resolve("var/lib/popfleet/.lock");
        Files.createDirectories(lock);
        Files.writeString(lock.resolve("pid"), ProcessHandle.current().pid() + "\n");
        PopTool.Result r = pop().run("--json", "start");
        NodeJsonSchema.assertValid(r);
        assertThat(r.exitCode()).isEqualTo(11);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("conflict");
        assertThat(pop().run("--json", "status").exitCode()).as("reads need no lock").isZero();
        Files.writeString(lock.resolve("pid"), "999999999\n");
        assertThat(pop().run("--json", "start").exitCode()).as("a stale lock is taken over").isZero();
        assertThat(lock).doesNotExist();
    }
}
