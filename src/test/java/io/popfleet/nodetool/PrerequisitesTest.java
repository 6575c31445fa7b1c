package io.popfleet.nodetool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** What the tool needs of its host and of the way it is run, and how it says so when something is missing. */
class PrerequisitesTest extends SimulatedNodeTest {

    /** A directory with every program of /usr/bin and /bin except any awk: a host that never installed one. */
    private Path binWithoutAwk() throws IOException {
        Path bin = Files.createDirectories(temp.resolve("bin-without-awk"));
        for (String dir : List.of("/usr/bin", "/bin")) {
            try (Stream<Path> programs = Files.list(Path.of(dir))) {
                for (Path program : programs.toList()) {
                    Path link = bin.resolve(program.getFileName().toString());
                    if (!program.getFileName().toString().contains("awk") && !Files.exists(link)) {
                        Files.createSymbolicLink(link, program);
                    }
                }
            }
        }
        return bin;
    }

    @Test
    void withoutAwkCheckFailsNamingItAndHistoryRefusesWithMissingDependency() throws IOException {
        PopTool noAwk = pop().path(PopTool.simPath(node, binWithoutAwk().toString()));

        PopTool.Result check = noAwk.run("--json", "check");
        NodeJsonSchema.assertValid(check);
        assertThat(check.exitCode()).isEqualTo(1);
        JsonNode dependencies = null;
        for (JsonNode c : check.data().get("checks")) {
            if (c.get("name").asText().equals("dependencies")) {
                dependencies = c;
            }
        }
        assertThat(dependencies).as("%s", check).isNotNull();
        assertThat(dependencies.get("status").asText()).isEqualTo("fail");
        assertThat(dependencies.get("detail").asText()).startsWith("missing: awk (any POSIX awk: mawk, gawk or busybox awk");

        PopTool.Result history = noAwk.run("--json", "history");
        NodeJsonSchema.assertValid(history);
        assertThat(history.exitCode()).isEqualTo(7);
        assertThat(history.json().at("/error/code").asText()).isEqualTo("missing_dependency");
        assertThat(history.json().at("/error/message").asText()).contains("'awk' (any POSIX awk");

        assertThat(pop().run("--json", "history").exitCode()).as("the same node with awk on PATH").isZero();
    }

    @Test
    void installReadFromStandardInputRefusesBeforeChangingAnything() throws IOException {
        Path fresh = PopTool.initNode(temp.resolve("fresh"), 4242, "--systemd");
        Path bundle = PopTool.buildBundle(temp.resolve("pop"));
        Map<String, String> env = Map.of("PATH", PopTool.simPath(fresh, PopTool.DEFAULT_PATH), "POP_ROOT",
                fresh.toString(), "HOME", home.toString());
        String expected = "install needs the tool as a file: copy it to the node and run `sudo bash ./pop install`";

        // As `curl … | sudo bash -s install` and `bash -s install < pop` run it, and from a pipe bash reads once.
        for (String line : List.of("cat \"$0\" | bash -s -- --json install --admin-user root",
                "bash -s -- --json install --admin-user root < \"$0\"",
                "bash <(cat \"$0\") --json install --admin-user root")) {
            PopTool.Result r = PopTool.exec(List.of("/bin/bash", "-c", line, bundle.toString()), env,
                    Duration.ofSeconds(30));
            NodeJsonSchema.assertValid(r);
            assertThat(r.exitCode()).as("%s: %s", line, r).isEqualTo(2);
            assertThat(r.json().at("/error/code").asText()).isEqualTo("usage");
            assertThat(r.json().at("/error/message").asText()).startsWith(expected);
            assertThat(r.stderr()).doesNotContain("No such file");
        }
        PopTool.Result human = PopTool.exec(List.of("/bin/bash", "-c", "bash -s install --dry-run < \"$0\"",
                bundle.toString()), env, Duration.ofSeconds(30));
        assertThat(human.exitCode()).isEqualTo(2);
        assertThat(human.stderr()).contains(expected);

        assertThat(fresh.resolve("etc/systemd/system/pop.service")).doesNotExist();
        assertThat(fresh.resolve("opt/pop/bin/pop")).doesNotExist();
        assertThat(fresh.resolve("etc/sudoers.d/pop")).doesNotExist();
        PopTool.Result fromFile = PopTool.bundle(bundle).on(fresh).home(home)
                .run("--json", "install", "--admin-user", "root", "--dry-run");
        assertThat(fromFile.json().at("/error/code").asText()).as("the same bundle run as a file: %s", fromFile)
                .isNotEqualTo("usage");
    }
}
