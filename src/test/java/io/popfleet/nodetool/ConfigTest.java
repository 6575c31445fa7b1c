package io.popfleet.nodetool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Settings: environment over the node's pop.conf over the login's ~/.popfleet/pop.conf over the defaults. */
class ConfigTest extends SimulatedNodeTest {

    @Test
    void aLoginsPopfleetConfPointsTheToolAtItsNodeWithoutAnyEnvironment() throws Exception {
        Files.createDirectories(home.resolve(".popfleet"));
        Files.writeString(home.resolve(".popfleet/pop.conf"), "# set by the test fleet\nPOP_ROOT=" + node + "\n");
        String expected = pop().run("--json", "status").data().get("node_id").asText();
        PopTool.Result r = PopTool.tree().home(home).run("--json", "status");
        NodeJsonSchema.assertValid(r);
        assertThat(r.data().get("node_id").asText()).isEqualTo(expected);
    }

    @Test
    void theEnvironmentBeatsTheNodesConfigurationFile() throws Exception {
        Path conf = node.resolve("etc/pop/pop.conf");
        Files.writeString(conf, Files.readString(conf) + "POP_UNIT=popd.service\n");
        assertThat(pop().run("--json", "status").data().at("/service/unit").asText()).isEqualTo("popd.service");
        assertThat(pop().env("POP_UNIT", "pipe-pop.service").run("--json", "status").data().at("/service/unit").asText())
                .isEqualTo("pipe-pop.service");
    }

    @Test
    void aBadConfigurationLineIsRefusedWithItsLineNumber() throws Exception {
        Path conf = node.resolve("etc/pop/pop.conf");
        Files.writeString(conf, Files.readString(conf) + "POP_UNIT=$(reboot)\n");
        PopTool.Result r = pop().run("--json", "status");
        NodeJsonSchema.assertValid(r);
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("config_invalid");
        Files.writeString(conf, "POP_NOT_A_SETTING=1\n");
        assertThat(pop().run("--json", "status").json().at("/error/message").asText()).contains("pop.conf:1:");
    }

    @Test
    void aRelativeOrTraversingPopRootIsRefused() {
        for (String root : new String[] {"relative/dir", "/tmp/../etc", "/tmp/a b"}) {
            PopTool.Result r = PopTool.tree().home(home).env("POP_ROOT", root).run("--json", "health");
            NodeJsonSchema.assertValid(r);
            assertThat(r.exitCode()).as(root).isEqualTo(3);
        }
    }

    /** Every regular file under the node, by path, with its bytes (the simulator's own state left out). */
    private Map<String, byte[]> snapshot() throws Exception {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(node)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String rel = node.relativize(p).toString();
                if (!rel.startsWith("var/lib/pop-sim/")) {
                    files.put(rel, Files.readAllBytes(p));
                }
            }
        }
        return files;
    }

    private static void assertSameFiles(Map<String, byte[]> after, Map<String, byte[]> before, String why) {
        assertThat(after.keySet()).as(why).containsExactlyElementsOf(before.keySet());
        before.forEach((name, bytes) -> assertThat(after.get(name)).as("%s: %s", why, name).isEqualTo(bytes));
    }

    @Test
    void aBadConfigureValueLeavesEveryFileByteIdentical() throws Exception {
        Path dropIn = node.resolve("etc/systemd/system/pop.service.d/popfleet.conf");
        Files.createDirectories(dropIn.getParent());
        Files.writeString(dropIn, "[Service]\nExecStart=\nExecStart=/opt/pop/pop --ram 4\n");
        Files.createDirectories(node.resolve("var/cache"));
        Files.createSymbolicLink(node.resolve("var/cache/link"), node.resolve("etc"));
        Map<String, byte[]> before = snapshot();
        List<List<String>> bad = List.of(List.of("ram=8", "cache_dir=/etc/passwd"), List.of("cache_dir=/"),
                List.of("cache_dir=/etc/pop"), List.of("cache_dir=/usr/lib/x"), List.of("cache_dir=/var/lib"),
                List.of("cache_dir=/var/lib/pop"), List.of("cache_dir=/var"), List.of("cache_dir=/var/cache/../../etc"),
                List.of("cache_dir=/var/cache/link/x"), List.of("cache_dir=/opt/pop"), List.of("node_name=ok", "ram=abc"),
                List.of("max_disk=5", "enable_80_443=maybe"), List.of("node_name=a b"), List.of("colour=blue"));
        for (List<String> args : bad) {
            List<String> argv = new ArrayList<>(List.of("--json", "configure"));
            argv.addAll(args);
            PopTool.Result r = pop().run(argv.toArray(String[]::new));
            NodeJsonSchema.assertValid(r);
            assertThat(r.exitCode()).as("%s: %s", args, r).isEqualTo(2);
            assertSameFiles(snapshot(), before, args.toString());
        }
        assertThat(pop().run("--json", "configure", "cache_dir=/etc/passwd").json().at("/error/message").asText())
                .contains("/var/cache");
    }

    @Test
    void aGoodCacheDirIsCreatedAndWrittenWholeIntoSettingsAndDropIn() throws Exception {
        Path dropIn = node.resolve("etc/systemd/system/pop.service.d/popfleet.conf");
        Files.createDirectories(dropIn.getParent());
        Files.writeString(dropIn, "[Service]\n");
        PopTool.Result r = pop().run("--json", "configure", "cache_dir=/srv/pop-cache/", "ram=2");
        NodeJsonSchema.assertValid(r);
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.data().at("/settings/cache_dir").asText()).isEqualTo("/srv/pop-cache");
        assertThat(node.resolve("srv/pop-cache")).isDirectory();
        assertThat(Files.readString(node.resolve("etc/pop/node.conf"))).contains("CACHE_DIR=/srv/pop-cache\n", "RAM_GB=2\n");
        assertThat(Files.readString(dropIn)).contains("--cache-dir /srv/pop-cache", "--ram 2");
        try (Stream<Path> left = Files.list(node.resolve("etc/pop"))) {
            assertThat(left.map(p -> p.getFileName().toString())).as("no temp files left")
                    .containsExactlyInAnyOrder("node.conf", "pop.conf");
        }
    }
}
