package io.popfleet.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import picocli.CommandLine;

import io.popfleet.nodetool.NodeJsonSchema;
import io.popfleet.security.Roles;
import io.popfleet.testing.Fault;
import io.popfleet.testing.FleetRegistration;
import io.popfleet.testing.Inventory;
import io.popfleet.testing.SshTestFleet;
import io.popfleet.testing.TestUsers;
import io.popfleet.testing.TestUsers.TestUser;

import static io.popfleet.testing.NodeBuilder.aNode;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code popfleet} command line run in-process against this test controller (real PostgreSQL, real tokens,
 * four simulated nodes over SSH): each command's happy path, its main refusals, and the exit codes scripts rely on.
 */
@QuarkusTest
class CommandLineTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SIZE = 4;

    @RegisterExtension
    static final SshTestFleet FLEET = SshTestFleet.ofSize(SIZE);

    private static TestUser admin;
    private static TestUser viewer;

    @TestHTTPResource("/")
    URL controller;

    @Inject
    FleetRegistration registration;

    @TempDir
    Path dir;

    /** What one command line printed and answered. */
    record Result(int code, String out, String err) {

        List<JsonNode> jsonLines() {
            List<JsonNode> lines = new ArrayList<>();
            if (out.isBlank()) {
                return lines;
            }
            for (String line : out.strip().split("\n")) {
                lines.add(read(line));
            }
            return lines;
        }

        JsonNode json() {
            return read(out);
        }

        /** A refusal: one line on stderr, no stack trace or Java name, nothing on stdout. */
        Result refusedWith(int expected, String... words) {
            assertThat(code).as("exit code; stderr: %s", err).isEqualTo(expected);
            assertThat(err.strip()).as("one line").doesNotContain("\n").startsWith("popfleet: ")
                    .doesNotContain("Exception", "at io.", "at java.");
            for (String word : words) {
                assertThat(err).contains(word);
            }
            return this;
        }
    }

    @BeforeAll
    static void users() {
        admin = TestUsers.create(Roles.ADMIN);
        viewer = TestUsers.create(Roles.VIEWER);
    }

    @AfterAll
    static void removeUsers() {
        TestUsers.deleteAll();
    }

    @BeforeEach
    void registerTheFleet() {
        Inventory.clearWithRuns();
        registration.register(FLEET, "CommandLineTest", 0, node -> aNode().named("cli-" + node.index())
                .inGroup(node.index() % 2 == 0 ? "even" : "odd"));
    }

    @AfterEach
    void leaveNoNodesBehind() {
        Inventory.clear();
    }

    private Result cli(String... args) {
        return cli(Map.of("POPFLEET_URL", controller.toString(), "POPFLEET_TOKEN", admin.token(),
                "POPFLEET_CONFIG", dir.resolve("absent").toString()), args);
    }

    private Result cli(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PopfleetCli.execute(new PopfleetCli.Environment(env, new PrintWriter(out), new PrintWriter(err),
                new ByteArrayInputStream(new byte[0]), false), args);
        return new Result(code, out.toString(), err.toString());
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    @Test
    void aStatusRunPrintsEveryNodesAnswerAsJsonLinesValidAgainstTheNodeSchema() {
        Result run = cli("run", "status", "--wait", "--output", "jsonl");

        assertThat(run.code()).as(run.err()).isZero();
        List<JsonNode> lines = run.jsonLines();
        assertThat(lines).extracting(line -> line.get("node").asText())
                .containsExactlyInAnyOrder("cli-0", "cli-1", "cli-2", "cli-3");
        for (JsonNode line : lines) {
            assertThat(line.get("state").asText()).isEqualTo("ok");
            assertThat(line.get("host").asText()).startsWith("127.0.0.");
            String answer = line.get("result").toString();
            assertThat(NodeJsonSchema.errors(answer)).as(answer).isEmpty();
            assertThat(line.get("result").get("command").asText()).isEqualTo("status");
            assertThat(line.get("result").get("data").has("reputation")).as(answer).isTrue();
        }
        assertThat(cli("leaderboard", "--output", "jsonl").jsonLines()).as("ranked from the status answers")
                .hasSize(SIZE);
    }

    @Test
    void aRunWithAFailedNodeExitsOneAndRetryingTheFailedNodesSucceeds() {
        FLEET.inject(2, Fault.REFUSE_CONNECTION);
        Result run;
        try {
            run = cli("run", "health", "--group", "even", "--wait");
        } finally {
            FLEET.clear(2, Fault.REFUSE_CONNECTION);
        }
        assertThat(run.code()).as(run.out() + run.err()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(run.out()).containsPattern("(?m)^ok +cli-0").containsPattern("(?m)^failed +cli-2 .*unreachable")
                .contains("2 node(s)");
        String runId = run.out().lines().findFirst().orElseThrow().replaceAll("^run (\\d+):.*", "$1");

        Result retry = cli("runs", "retry-failed", runId, "--wait", "--output", "jsonl");
        assertThat(retry.code()).as(retry.err()).isZero();
        assertThat(retry.jsonLines()).singleElement().satisfies(line -> {
            assertThat(line.get("node").asText()).isEqualTo("cli-2");
            assertThat(NodeJsonSchema.errors(line.get("result").toString())).isEmpty();
        });

        Result show = cli("runs", "show", runId, "--output", "json");
        assertThat(show.code()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(show.json().get("nodes")).hasSize(2);
        assertThat(show.json().at("/nodes/1/failure/kind").asText()).isEqualTo("unreachable");
        assertThat(show.json().at("/nodes/1/result").isNull()).as("no answer from an unreachable node").isTrue();
        assertThat(cli("runs", "list", "--output", "jsonl").jsonLines()).hasSize(2);
    }

    @Test
    void aChangingOperationStartsOnlyWithTheConfirmationTheControllerChecks() {
        cli("run", "stop", "--node", "cli-1").refusedWith(ExitCodes.REFUSED, "--yes", "--confirm-nodes 1",
                "nothing was started");
        cli("run", "stop", "--group", "odd", "--confirm-nodes", "1").refusedWith(ExitCodes.REFUSED,
                "confirmNodes is 1 but the selection covers 2");
        assertThat(cli("runs", "list", "--output", "jsonl").out()).isBlank();

        // The node refuses connections, so the confirmed stop starts, fails fast and leaves the node as it was.
        FLEET.inject(1, Fault.REFUSE_CONNECTION);
        try {
            Result stop = cli("run", "stop", "--node", "cli-1", "--yes", "--wait");
            assertThat(stop.code()).as(stop.out() + stop.err()).isEqualTo(ExitCodes.SOME_FAILED);
            assertThat(stop.out()).containsPattern("(?m)^failed +cli-1 .*unreachable");
            Result again = cli("run", "stop", "--node", "cli-1", "--confirm-nodes", "1", "--wait", "--output",
                    "jsonl");
            assertThat(again.code()).isEqualTo(ExitCodes.SOME_FAILED);
            assertThat(again.jsonLines()).singleElement().satisfies(line -> {
                assertThat(line.get("state").asText()).isEqualTo("failed");
                assertThat(line.get("result").isNull()).isTrue();
            });
        } finally {
            FLEET.clear(1, Fault.REFUSE_CONNECTION);
        }
    }

    @Test
    void refusalsAreOneLineWithTheirExitCodes() {
        cli(Map.of("POPFLEET_URL", controller.toString(), "POPFLEET_TOKEN", "pft_not-a-token"), "nodes", "list")
                .refusedWith(ExitCodes.UNAUTHORIZED);
        cli(Map.of("POPFLEET_URL", controller.toString(), "POPFLEET_TOKEN", viewer.token()), "run", "status")
                .refusedWith(ExitCodes.UNAUTHORIZED);
        cli("nodes", "show", "no-such-node").refusedWith(ExitCodes.REFUSED, "no-such-node");
        cli("nodes", "show", "999999").refusedWith(ExitCodes.REFUSED);
        cli("run", "status", "--node", "no-such-node").refusedWith(ExitCodes.REFUSED);
        cli("run", "no-such-operation").refusedWith(ExitCodes.REFUSED, "no-such-operation");
        cli("run", "configure", "BAD KEY=1", "--yes").refusedWith(ExitCodes.REFUSED);
        cli("nodes", "list", "--bogus").refusedWith(ExitCodes.USAGE, "--bogus");
        cli("run").refusedWith(ExitCodes.USAGE, "OPERATION");
        cli("nodes", "list", "--output", "xml").refusedWith(ExitCodes.USAGE, "xml");
        cli(Map.of("POPFLEET_TOKEN", admin.token(), "POPFLEET_CONFIG", dir.resolve("absent").toString()), "nodes",
                "list").refusedWith(ExitCodes.USAGE, "no controller URL");
        cli(Map.of("POPFLEET_URL", "http://127.0.0.1:" + closedPort(), "POPFLEET_TOKEN", admin.token()), "nodes",
                "list").refusedWith(ExitCodes.UNAVAILABLE, "cannot reach");
        cli("rollout", "pause", "999999").refusedWith(ExitCodes.REFUSED);
        cli("rollout", "plan", "9.9.9").refusedWith(ExitCodes.REFUSED);
        cli("backup", "restore", "999999").refusedWith(ExitCodes.REFUSED);
        cli("runs", "cancel", "999999").refusedWith(ExitCodes.REFUSED);
    }

    @Test
    void theConfigFileIsReadOnlyWhenNoOneElseCanReadIt() throws IOException {
        Path config = dir.resolve("config");
        Files.writeString(config, "# popfleet\nurl = " + controller + "\ntoken = " + admin.token() + "\n");
        Map<String, String> env = Map.of("POPFLEET_CONFIG", config.toString());
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
        cli(env, "nodes", "list").refusedWith(ExitCodes.USAGE, "chmod 600");

        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
        Result list = cli(env, "nodes", "list");
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(list.out()).contains("cli-0", "cli-3");
    }

    @Test
    void nodesAreListedShownAddedDisabledAndEnabled() {
        Result list = cli("nodes", "list", "--group", "odd");
        assertThat(list.code()).isZero();
        assertThat(list.out()).startsWith("NAME").contains("cli-1", "cli-3").doesNotContain("cli-0");

        Result added = cli("nodes", "add", "cli-new", "192.0.2.10", "--region", "eu-west", "--group", "odd",
                "--tag", "canary", "--tag", "provider=ovh");
        assertThat(added.code()).as(added.err()).isZero();
        cli("nodes", "add", "cli-new", "192.0.2.11").refusedWith(ExitCodes.REFUSED, "cli-new");
        cli("nodes", "add", "bad name!", "192.0.2.12").refusedWith(ExitCodes.REFUSED);

        assertThat(cli("nodes", "disable", "cli-new").code()).isZero();
        JsonNode shown = cli("nodes", "show", "cli-new", "--output", "json").json();
        assertThat(shown.get("enabled").asBoolean()).isFalse();
        assertThat(shown.get("tags").get("provider").asText()).as("the rest is kept").isEqualTo("ovh");
        assertThat(shown.get("groups").toString()).contains("odd");
        assertThat(cli("nodes", "list", "--disabled", "--output", "jsonl").jsonLines()).singleElement()
                .satisfies(node -> assertThat(node.get("name").asText()).isEqualTo("cli-new"));
        assertThat(cli("nodes", "enable", "cli-new").code()).isZero();
        assertThat(cli("nodes", "show", "cli-new", "--output", "json").json().get("enabled").asBoolean()).isTrue();
    }

    @Test
    void theInventoryExportsAndImportsBackAfterAPreview() throws IOException {
        Result export = cli("inventory", "export");
        assertThat(export.code()).isZero();
        assertThat(export.out()).contains("cli-0", "cli-3");
        Path file = dir.resolve("fleet.yaml");
        Files.writeString(file, export.out());
        Result same = cli("inventory", "import", "--preview", file.toString());
        assertThat(same.code()).as(same.err()).isZero();
        assertThat(same.out()).contains("nothing to change", SIZE + " unchanged");

        Path ini = dir.resolve("hosts.ini");
        Files.writeString(ini, "[edge]\ncli-ini ansible_host=192.0.2.20\n");
        Result preview = cli("inventory", "import", "--preview", ini.toString());
        assertThat(preview.out()).containsPattern("(?m)^add +cli-ini");
        assertThat(cli("nodes", "show", "cli-ini").code()).as("a preview writes nothing").isEqualTo(
                ExitCodes.REFUSED);
        Result apply = cli("inventory", "import", "--apply", ini.toString());
        assertThat(apply.code()).as(apply.err()).isZero();
        assertThat(apply.out()).contains("applied: added 1");
        assertThat(cli("nodes", "show", "cli-ini").code()).isZero();

        Files.writeString(ini, "[edge]\ncli-bad ansible_host=not_a_host!\n");
        cli("inventory", "import", "--apply", ini.toString()).refusedWith(ExitCodes.REFUSED, "Inventory refused");
        cli("inventory", "import", ini.toString()).refusedWith(ExitCodes.USAGE);
    }

    @Test
    void theFleetViewsAnswer() {
        for (String[] command : List.of(new String[] { "operations" }, new String[] { "leaderboard" },
                new String[] { "drift" }, new String[] { "alerts", "--all" }, new String[] { "hostkeys", "list" },
                new String[] { "hostkeys", "sightings" }, new String[] { "credentials", "list" },
                new String[] { "rollout", "list" }, new String[] { "rollout", "releases" },
                new String[] { "backup", "list" })) {
            Result result = cli(command);
            assertThat(result.code()).as(String.join(" ", command) + ": " + result.err()).isZero();
        }
        assertThat(cli("operations").out()).containsPattern("(?m)^restart +always");
        assertThat(cli("hostkeys", "list", "--output", "jsonl").jsonLines()).hasSize(SIZE);
        Result generated = cli("credentials", "generate", "cli-test-key");
        assertThat(generated.code()).as(generated.err()).isZero();
        assertThat(generated.out()).contains("ssh-ed25519 ");
        cli("credentials", "generate", "cli-test-key").refusedWith(ExitCodes.REFUSED);
        assertThat(cli("audit", "--actor", admin.username(), "--output", "jsonl").jsonLines()).isNotEmpty()
                .allSatisfy(event -> assertThat(event.get("actor").asText()).isEqualTo(admin.username()))
                .anySatisfy(event -> assertThat(event.get("target").asText()).isEqualTo("cli-test-key"));
    }

    @Test
    void driftFixesReadAsTheCommandThatMendsThem() throws IOException {
        ObjectMapper json = new ObjectMapper();
        assertThat(FleetCommands.Drift.fix(json.readTree(
                "{\"operation\":\"rollout\",\"arguments\":[],\"options\":{\"version\":\"0.2.8\"}}")))
                .isEqualTo("popfleet rollout start 0.2.8");
        assertThat(FleetCommands.Drift.fix(json.readTree("{\"operation\":\"set-wallet\",\"arguments\":[\"W1\"],"
                + "\"options\":{\"restart\":\"\"}}"))).isEqualTo("popfleet run set-wallet W1 -O restart");
        assertThat(FleetCommands.Drift.fix(json.readTree("{\"operation\":\"configure\",\"arguments\":[],"
                + "\"options\":{\"cache_mb\":\"512\"}}"))).isEqualTo("popfleet run configure -O cache_mb=512");
    }

    @Test
    void everyCommandHasHelpWithExamplesAndACompletionScriptCoversThem() {
        CommandLine root = PopfleetCli.commandLine(new PopfleetCli.Environment(Map.of(),
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                new ByteArrayInputStream(new byte[0]), false));
        List<CommandLine> all = new ArrayList<>();
        collect(root, all);
        assertThat(all).hasSizeGreaterThan(30);
        Map<String, String> noConfig = new HashMap<>(Map.of("POPFLEET_CONFIG", dir.resolve("absent").toString()));
        StringWriter out = new StringWriter();
        // One command line for every --help: building the model is what costs, and picocli resets it per call.
        CommandLine helper = PopfleetCli.commandLine(new PopfleetCli.Environment(noConfig, new PrintWriter(out),
                new PrintWriter(new StringWriter()), new ByteArrayInputStream(new byte[0]), false));
        for (CommandLine command : all) {
            List<String> args = new ArrayList<>(List.of(command.getCommandSpec().qualifiedName().split(" ")));
            args.remove(0);
            args.add("--help");
            out.getBuffer().setLength(0);
            assertThat(helper.execute(args.toArray(String[]::new))).as(args.toString()).isZero();
            helper.getOut().flush();
            assertThat(out.toString()).as(args.toString()).contains("Usage: ", "Examples:");
        }
        Result completion = cli(noConfig, "completion");
        assertThat(completion.code()).isZero();
        assertThat(completion.out()).contains("complete -F", "popfleet", "retry-failed", "--output");
    }

    private static void collect(CommandLine command, List<CommandLine> all) {
        all.add(command);
        command.getSubcommands().values().forEach(sub -> collect(sub, all));
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
