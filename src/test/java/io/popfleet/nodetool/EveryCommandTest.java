package io.popfleet.nodetool;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Every command, in both spellings (`pop status` and `pop --status`), human and --json against the schema. */
class EveryCommandTest extends SimulatedNodeTest {

    static final String WALLET = "7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU";

    /** command, arguments, expected exit status on a healthy simulated node. */
    static Stream<Arguments> commands() {
        return Stream.of(
                Arguments.of("status", List.of(), 0),
                Arguments.of("pulse", List.of("--once"), 0),
                Arguments.of("dashboard", List.of("--compact"), 0),
                Arguments.of("leaderboard", List.of(), 0),
                Arguments.of("history", List.of("--since", "7d", "--limit", "5"), 0),
                Arguments.of("stats", List.of(), 0),
                Arguments.of("health", List.of(), 0),
                Arguments.of("collect", List.of(), 0),
                Arguments.of("start", List.of(), 0),
                Arguments.of("stop", List.of(), 0),
                Arguments.of("restart", List.of("--wait", "5"), 0),
                Arguments.of("check", List.of(), 0),
                Arguments.of("logs", List.of("--lines", "5"), 0),
                Arguments.of("backup", List.of(), 0),
                Arguments.of("restore", List.of(), 2),
                Arguments.of("list-backups", List.of(), 0),
                Arguments.of("configure", List.of("ram=4", "node_name=edge-1"), 0),
                Arguments.of("auth", List.of("status"), 0),
                Arguments.of("ports", List.of(), 0),
                Arguments.of("enable-80-443", List.of(), 0),
                Arguments.of("wallet-info", List.of(), 0),
                Arguments.of("set-wallet", List.of(WALLET), 0),
                Arguments.of("help", List.of("status"), 0),
                Arguments.of("version", List.of(), 0),
                Arguments.of("list-commands", List.of(), 0),
                Arguments.of("check-update", List.of(), 0),
                Arguments.of("update", List.of(), 2),
                Arguments.of("refresh", List.of(), 0),
                Arguments.of("egress-test", List.of(), 0),
                Arguments.of("gen-referral-route", List.of(), 0),
                Arguments.of("points", List.of(), 0),
                Arguments.of("signup-by-referral-route", List.of("0123456789abcdef"), 11),
                Arguments.of("register", List.of(), 11),
                Arguments.of("install", List.of("--admin-user", "root", "--dry-run"), 0),
                Arguments.of("uninstall", List.of(), 2));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("commands")
    void commandAnswersInBothSpellingsWithSchemaValidJsonAndHumanOutput(String command, List<String> args,
            int expectedExit) {
        for (String spelling : List.of(command, "--" + command)) {
            PopTool.Result json = pop().run(argv(spelling, args, true));
            JsonNode out = NodeJsonSchema.assertValid(json);
            assertThat(json.exitCode()).as("%s", json).isEqualTo(expectedExit);
            assertThat(out.get("command").asText()).isEqualTo(command);

            PopTool.Result human = pop().run(argv(spelling, args, false));
            assertThat(human.exitCode()).as("%s", human).isEqualTo(expectedExit);
            if (expectedExit == 0) {
                assertThat(human.stdout()).as("%s", human).isNotBlank().doesNotStartWith("{").doesNotContain("\u001b[");
            } else if (expectedExit == 2) {
                assertThat(human.stderr()).contains("pop: ").contains("Usage: pop " + command);
            } else {
                assertThat(human.stderr()).startsWith("pop: ");
            }
        }
    }

    @Test
    void everyCommandTheToolListsIsCoveredHere() {
        PopTool.Result r = pop().run("list-commands");
        Set<String> listed = r.stdout().lines().map(l -> l.split("\t")[0]).collect(Collectors.toCollection(TreeSet::new));
        Set<String> covered = commands().map(a -> (String) a.get()[0]).collect(Collectors.toCollection(TreeSet::new));
        assertThat(covered).isEqualTo(listed);
        assertThat(listed).hasSize(35);
    }

    @Test
    void everyCommandAnswersHelpFromItsHeader() {
        PopTool.Result list = pop().run("list-commands");
        for (String line : list.stdout().lines().toList()) {
            String[] parts = line.split("\t");
            PopTool.Result help = pop().run(parts[0], "--help");
            assertThat(help.exitCode()).as("%s", help).isZero();
            assertThat(help.stdout()).startsWith("Usage: pop " + parts[0]).contains(parts[1]);
            NodeJsonSchema.assertValid(pop().run("--json", parts[0], "--help"));
        }
    }

    @Test
    void statusReportsTheSimulatedNodeAsAUserExpects() {
        pop().run("start");
        PopTool.Result r = pop().run("status");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).contains("PoP node ").contains("Service      running (healthy)")
                .contains("Identity     present").contains("Reputation ").contains("Ports        8003 ours");
        JsonNode data = pop().run("--json", "status").data();
        double rep = data.at("/reputation/score").asDouble();
        double expected = 0.4 * data.at("/reputation/components/uptime").asDouble()
                + 0.3 * data.at("/reputation/components/historical").asDouble()
                + 0.3 * data.at("/reputation/components/egress").asDouble();
        assertThat(rep).isCloseTo(expected, org.assertj.core.data.Offset.offset(0.0002));
        assertThat(data.at("/service/state").asText()).isEqualTo("running");
        assertThat(data.at("/service/pid").asLong()).isPositive();
    }

    /** The page a person reads shows the JSON's figures, and on a terminal the same page in colour. */
    @Test
    void theStatusPageShowsTheJsonFiguresAndTheSamePageInColourOnATerminal() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux script not installed");
        pop().run("start");
        // The simulated figures move with time: read the page between two JSON answers that agree on them.
        JsonNode data = pop().run("--json", "status").data();
        String plain = pop().run("status").stdout();
        for (int tries = 1; tries < 3 && !shownFigures(data).equals(shownFigures(pop().run("--json", "status").data()));
                tries++) {
            data = pop().run("--json", "status").data();
            plain = pop().run("status").stdout();
        }
        JsonNode rep = data.at("/reputation");
        assertThat(plain).contains("Reputation   " + fourDecimals(rep.at("/score")) + " " + rep.at("/band").asText()
                + "   uptime " + fourDecimals(rep.at("/components/uptime")) + " · historical "
                + fourDecimals(rep.at("/components/historical")) + " · egress "
                + fourDecimals(rep.at("/components/egress")) + "  (" + rep.at("/source").asText() + ")");
        assertThat(plain).contains("Disk         " + decimalUnits(data.at("/disk/free_bytes").asLong()) + " free of "
                + decimalUnits(data.at("/disk/total_bytes").asLong()));
        assertThat(plain).contains("Memory       " + decimalUnits(data.at("/memory/available_bytes").asLong())
                + " available of " + decimalUnits(data.at("/memory/total_bytes").asLong()));
        assertThat(plain).contains("Egress 7d    " + decimalUnits(rep.at("/egress_bytes_7d").asLong()));
        assertThat(plain).doesNotContain("\u001b[");

        Map<String, String> env = Map.of("PATH", PopTool.simPath(node, PopTool.DEFAULT_PATH), "POP_ROOT",
                node.toString(), "HOME", home.toString(), "TERM", "xterm", "SHELL", "/bin/bash",
                "POP_SCRIPT", PopTool.scriptsDir().resolve("pop").toString());
        PopTool.Result tty = PopTool.exec(List.of("script", "-qec", "/bin/bash \"$POP_SCRIPT\" status", "/dev/null"),
                env, Duration.ofSeconds(60));
        assertThat(tty.exitCode()).isZero();
        assertThat(tty.stdout()).contains("\u001b[32mrunning\u001b[0m (healthy)", "\u001b[1mPoP node\u001b[0m");
        String uncoloured = tty.stdout().replace("\r", "").replaceAll("\u001b\\[[0-9;]*m", "");
        assertThat(withoutUptime(uncoloured)).isEqualTo(withoutUptime(plain));
    }

    private static List<JsonNode> shownFigures(JsonNode status) {
        return List.of(status.at("/reputation/score"), status.at("/reputation/band"),
                status.at("/reputation/components"), status.at("/reputation/source"),
                status.at("/reputation/egress_bytes_7d"), status.at("/disk"), status.at("/memory"));
    }

    private static String fourDecimals(JsonNode n) {
        return new BigDecimal(n.asText()).setScale(4, RoundingMode.DOWN).toPlainString();
    }

    /** Bytes in decimal units with one decimal cut, as the page writes them ("595.0 GB"). */
    private static String decimalUnits(long bytes) {
        String[] units = {"TB", "GB", "MB", "kB"};
        long[] sizes = {1_000_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L};
        for (int i = 0; i < units.length; i++) {
            if (bytes >= sizes[i]) {
                return bytes / sizes[i] + "." + bytes % sizes[i] * 10 / sizes[i] + " " + units[i];
            }
        }
        return bytes + " B";
    }

    private static String withoutUptime(String page) {
        return page.replaceAll("up [0-9dhms ]+ since", "up since");
    }

    private static String[] argv(String spelling, List<String> args, boolean json) {
        List<String> all = new ArrayList<>();
        if (json) {
            all.add("--json");
        }
        all.add(spelling);
        all.addAll(args);
        return all.toArray(String[]::new);
    }

    static List<String> list(String... s) {
        return Arrays.asList(s);
    }
}
