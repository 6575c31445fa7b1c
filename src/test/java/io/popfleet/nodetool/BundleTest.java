package io.popfleet.nodetool;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The one shipped file: deterministic, self-contained, and the same tool as the source tree. */
class BundleTest extends SimulatedNodeTest {

    @Test
    void theBundleIsDeterministic() {
        Path a = PopTool.buildBundle(temp.resolve("a/pop"));
        Path b = PopTool.buildBundle(temp.resolve("b/pop"));
        assertThat(UpdateTest.sha256(a)).isEqualTo(UpdateTest.sha256(b));
    }

    @Test
    void theBundleRunsAloneAndAnswersLikeTheTree() throws Exception {
        // Where the SSH engine puts it: a content-addressed file with nothing beside it.
        Path built = PopTool.buildBundle(temp.resolve("build/pop"));
        Path shipped = temp.resolve("cache/popfleet/pop-" + UpdateTest.sha256(built));
        Files.createDirectories(shipped.getParent());
        Files.copy(built, shipped);
        PopTool bundle = PopTool.bundle(shipped).on(node).home(home);
        for (String[] argv : List.of(new String[] {"list-commands"}, new String[] {"help"}, new String[] {"help", "update"},
                new String[] {"--json", "help", "restore"}, new String[] {"version"}, new String[] {"--json", "version"},
                new String[] {"--stats"}, new String[] {"frobnicate"}, new String[] {"--json", "set-wallet", "x"},
                new String[] {"logs", "--lines", "3"}, new String[] {"status", "--help"})) {
            PopTool.Result fromTree = pop().run(argv);
            PopTool.Result fromBundle = bundle.run(argv);
            assertThat(fromBundle.exitCode()).as(String.join(" ", argv)).isEqualTo(fromTree.exitCode());
            assertThat(withoutTime(fromBundle.stdout())).as(String.join(" ", argv)).isEqualTo(withoutTime(fromTree.stdout()));
            assertThat(fromBundle.stderr()).isEqualTo(fromTree.stderr());
        }
        JsonNode treeStatus = NodeJsonSchema.assertValid(pop().run("--json", "status"));
        JsonNode bundleStatus = NodeJsonSchema.assertValid(bundle.run("--json", "status"));
        ((ObjectNode) treeStatus).remove("node_time");
        ((ObjectNode) bundleStatus).remove("node_time");
        assertThat(bundleStatus).isEqualTo(treeStatus);
        assertThat(bundle.run("start").exitCode()).isZero();
        assertThat(bundle.run("--json", "health").data().get("healthy").asBoolean()).isTrue();
    }

    @Test
    void theControllerJarCarriesTheBundleAsAClasspathResource() throws Exception {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("node-tool/pop")) {
            assumeTrue(in != null, "node-tool/pop is written by the Maven build (generate-resources)");
            byte[] resource = in.readAllBytes();
            Path fresh = PopTool.buildBundle(temp.resolve("fresh/pop"));
            assertThat(resource).isEqualTo(Files.readAllBytes(fresh));
        }
    }

    @Test
    void shellcheckReportsNothing() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/shellcheck")), "shellcheck not installed");
        Path scripts = PopTool.scriptsDir();
        Path bundle = PopTool.buildBundle(temp.resolve("lint/pop"));
        List<String> whole = new ArrayList<>(List.of("shellcheck", "--severity=style", bundle.toString(),
                scripts.resolve("build-bundle").toString(), scripts.resolve("sim/pop-sim").toString(),
                scripts.resolve("sim/pop-node-stub").toString(), scripts.resolve("sim/fake-systemctl").toString(),
                scripts.resolve("sim/fake-journalctl").toString(), scripts.resolve("sim/fake-ss").toString(),
                scripts.resolve("sim/fake-df").toString()));
        try (Stream<Path> benchmarks = Files.list(scripts.resolve("bench"))) {
            benchmarks.sorted().forEach(f -> whole.add(f.toString()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        PopTool.Result r = PopTool.exec(whole, Map.of("PATH", PopTool.DEFAULT_PATH), Duration.ofSeconds(120));
        assertThat(r.stdout() + r.stderr()).isEmpty();
        assertThat(r.exitCode()).isZero();
        // The source files one by one: their globals live in other files, which only the bundle shows together.
        List<String> parts = new ArrayList<>(List.of("shellcheck", "--severity=style", "-e", "SC2034,SC2153,SC2154,SC2119,SC2120",
                scripts.resolve("pop").toString()));
        try (Stream<Path> files = Stream.concat(Files.list(scripts.resolve("lib")), Files.list(scripts.resolve("libexec")))) {
            files.sorted().forEach(f -> parts.add(f.toString()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        PopTool.Result r2 = PopTool.exec(parts, Map.of("PATH", PopTool.DEFAULT_PATH), Duration.ofSeconds(120));
        assertThat(r2.stdout() + r2.stderr()).isEmpty();
    }

    private static String withoutTime(String s) {
        return s.replaceAll("\"node_time\":\"[^\"]+\"", "").replaceAll("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z", "T");
    }
}
