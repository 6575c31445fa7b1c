package io.popfleet.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.popfleet.api.ProblemException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OperationCatalogTest {

    private final OperationCatalog catalog = new OperationCatalog();

    @Test
    void authAddKeyOrRemoveKeyWithoutAKeyIsRefused() {
        for (List<String> arguments : List.of(List.of("add-key"), List.of("add-key", ""), List.of("remove-key", " "))) {
            assertThatThrownBy(() -> catalog.call("auth", arguments, Map.of())).as("%s", arguments)
                    .isInstanceOf(io.popfleet.api.ProblemException.class)
                    .satisfies(e -> assertThat(((io.popfleet.api.ProblemException) e).errors())
                            .anySatisfy(error -> assertThat(error.field()).isEqualTo("key")));
        }
        assertThat(catalog.call("auth", List.of("status"), Map.of()).mutating()).isFalse();
    }

    @Test
    void everyNonInteractiveNodeToolCommandIsAnOperation() throws Exception {
        List<String> commands;
        try (Stream<Path> files = Files.list(Path.of("agentless-scripts/libexec"))) {
            commands = files.map(file -> file.getFileName().toString().substring("pop-".length())).sorted().toList();
        }
        // Views the fleet offers itself, and host setup run once as root on the node (pop install / uninstall).
        List<String> fleetViews = List.of("dashboard", "pulse", "help", "list-commands", "install", "uninstall");
        for (String command : commands) {
            if (!fleetViews.contains(command)) {
                assertThat(catalog.find(command)).as(command).isPresent();
            }
        }
        assertThat(catalog.all()).allSatisfy(op -> assertThat(commands).contains(op.command()));
    }

    @Test
    void validArgumentsBecomeTheToolsCommandLine() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("file", "/tmp/pop-0.2.9");
        options.put("sha256", "a".repeat(64));
        options.put("timeout", "30");
        OperationCall update = catalog.call("update", List.of(), options);
        assertThat(update.arguments()).containsExactly("--file", "/tmp/pop-0.2.9", "--sha256", "a".repeat(64),
                "--timeout", "30");
        assertThat(update.mutating()).isTrue();
        assertThat(catalog.call("configure", List.of("ram=8", "node_name=fra-1"), Map.of("restart", "")).arguments())
                .containsExactly("ram=8", "node_name=fra-1", "--restart");
        assertThat(catalog.call("configure", List.of(), Map.of()).mutating()).as("configure alone only shows")
                .isFalse();
        assertThat(catalog.call("status", List.of(), Map.of()).mutating()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"$(reboot)", "`id`", "a;rm -rf /", "x\nreboot", "../../etc/shadow", "a b", "'quoted'",
            "\u0000", "ram=8;reboot", "--force"})
    void hostileValuesAreRefusedBeforeAnySsh(String hostile) {
        assertThatThrownBy(() -> catalog.call("restore", List.of(hostile), Map.of()))
                .isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> catalog.call("configure", List.of(hostile), Map.of()))
                .isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> catalog.call("logs", List.of(), Map.of("since", hostile)))
                .isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> catalog.call("set-wallet", List.of(hostile), Map.of()))
                .isInstanceOf(ProblemException.class);
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsField() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("sha256", "xyz");
        options.put("timeout", "0");
        options.put("reboot", "now");
        assertThatThrownBy(() -> catalog.call("update", List.of("extra"), options))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.code()).isEqualTo("invalid-arguments");
                    assertThat(e.errors()).extracting(error -> error.field())
                            .containsExactlyInAnyOrder("arguments", "sha256", "timeout", "reboot");
                });
        assertThatThrownBy(() -> catalog.call("restore", List.of(), Map.of()))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.errors().get(0).message())
                        .isEqualTo("archive is required"));
        assertThatThrownBy(() -> catalog.call("format-disk", List.of(), Map.of()))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.code())
                        .isEqualTo("unknown-operation"));
    }

    @Test
    void valuesTheShellQuotingLayerWouldRefuseAreRefusedHereBeforeARunStarts() {
        // Each matches its own rule; only the quoting layer's length limit (4,096 characters) refuses it, and the
        // executor used to meet that limit with the target already running.
        String manifest = "https://example.com/" + "m".repeat(5_000);
        String cacheDir = "cache_dir=/" + "c".repeat(4_095);
        String file = "/" + "f".repeat(4_095);
        for (Runnable call : List.<Runnable>of(
                () -> catalog.call("check-update", List.of(), Map.of("manifest", manifest)),
                () -> catalog.call("update", List.of(), Map.of("url", manifest, "sha256", "a".repeat(64))),
                () -> catalog.call("configure", List.of(cacheDir), Map.of()),
                () -> catalog.again("check-update", List.of("--manifest", manifest)))) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(ProblemException.class, e -> {
                assertThat(e.code()).isEqualTo("invalid-arguments");
                assertThat(e.errors()).anySatisfy(error -> assertThat(error.message())
                        .contains("longer than 4096 characters"));
            });
        }
        assertThat(catalog.call("update", List.of(), Map.of("file", file, "sha256", "a".repeat(64))).arguments())
                .as("4,096 characters is still one argument").contains(file);
    }

    @Test
    void portsAndCollectChangeTheNodeOnlyWhenTheToolSaysSo() {
        assertThat(catalog.call("ports").mutating()).isFalse();
        assertThat(catalog.call("ports", List.of(), Map.of("enable-80-443", "")).mutating()).isTrue();
        assertThat(catalog.call("ports", List.of(), Map.of("disable-80-443", "")).mutating()).isTrue();
        assertThat(catalog.call("collect").mutating()).isFalse();
        assertThat(catalog.call("configure", List.of(), Map.of("restart", "")).mutating())
                .as("--restart alone changes nothing: the tool restarts only after a change").isFalse();
    }

    @Test
    void aSolanaAddressIsCheckedAsTheNodeToolChecksIt() {
        assertThat(catalog.call("set-wallet", List.of("4B2sVhKZWWECcg1udXpgKquhRZFiw6wTpEcRzwK4L9hS"), Map.of())
                .arguments()).hasSize(1);
        assertThatThrownBy(() -> catalog.call("set-wallet", List.of("0OIl" + "1".repeat(36)), Map.of()))
                .isInstanceOf(ProblemException.class);
    }

    @Test
    void aStoredCallIsCheckedAgainAndComesBackTheSame() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("force", null);
        options.put("passphrase-file", "/etc/pop/pass");
        List<OperationCall> stored = List.of(catalog.call("restore", List.of("pop-backup-1.tar.gz"), options),
                catalog.call("logs", List.of(), Map.of("lines", "5")),
                catalog.call("configure", List.of("ram=8", "max_disk=100"), Map.of("restart", "")),
                catalog.call("auth", List.of("status"), Map.of()), catalog.call("status"));

        assertThat(stored).allSatisfy(call -> assertThat(catalog.again(call.command(), call.arguments()))
                .isEqualTo(call));
        assertThat(stored.get(0).mutating()).isTrue();
        assertThat(stored.get(3).mutating()).isFalse();
    }

    @Test
    void aStoredCallThatNoLongerPassesIsRefused() {
        assertThatThrownBy(() -> catalog.again("logs", List.of("--lines", "$(reboot)")))
                .isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> catalog.again("restore", List.of("--force"))).isInstanceOf(ProblemException.class);
    }
}
