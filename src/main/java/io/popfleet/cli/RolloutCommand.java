package io.popfleet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rollout", description = "Rolling updates of the node binary: register a release, plan, start and"
        + " steer a rollout (operator).", mixinStandardHelpOptions = true,
        subcommands = { RolloutCommand.Release.class, RolloutCommand.Releases.class, RolloutCommand.Plan.class,
                RolloutCommand.Start.class, RolloutCommand.ListRollouts.class, RolloutCommand.Show.class,
                RolloutCommand.Pause.class, RolloutCommand.Resume.class, RolloutCommand.Abort.class,
                RolloutCommand.Promote.class },
        footerHeading = "%nExamples:%n", footer = { "  popfleet rollout release 0.2.8 ./pop-0.2.8",
                "  popfleet rollout plan 0.2.8 --group eu --strategy canary=1 --strategy batches='1, 25%, rest'",
                "  popfleet rollout start 0.2.8 --group eu", "  popfleet rollout pause 3" })
final class RolloutCommand extends GroupCommand {

    /** The nodes and the strategy of a rollout, as preview and start take them. */
    abstract static class Planning extends ApiCommand {

        @Parameters(index = "0", paramLabel = "VERSION", description = "A registered release, e.g. 0.2.8")
        String version;

        @Option(names = { "-g", "--group" }, paramLabel = "GROUP", description = "Nodes in this group (repeat: any)")
        List<String> groups = new ArrayList<>();

        @Option(names = { "-t", "--tag" }, paramLabel = "KEY[=VALUE]", description = "Nodes with this tag (repeat:"
                + " all)")
        List<String> tags = new ArrayList<>();

        @Option(names = { "-n", "--node" }, paramLabel = "NAME", description = "This node (repeat for more)")
        List<String> nodes = new ArrayList<>();

        @Option(names = { "-q", "--query" }, paramLabel = "TEXT")
        String query;

        @Option(names = { "-s", "--strategy" }, paramLabel = "FIELD=VALUE", description = "A strategy field: order,"
                + " canary, promoteAfterCanary, batches, maxPerRegion, minHealthyPerRegion, failureBudget,"
                + " healthyDeadlineSeconds, minHealthyTimeSeconds, pauseSeconds, autoRevert (see docs/rollouts.md)")
        Map<String, String> strategy = new LinkedHashMap<>();

        Map<String, Object> request() {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("version", version);
            request.put("groups", groups);
            request.put("tags", tags);
            request.put("q", query);
            request.put("names", nodes);
            request.put("strategy", strategy);
            return request;
        }

        void printPlan(JsonNode preview) {
            if (format() != PopfleetCli.Format.table) {
                printObject(preview);
                return;
            }
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode batch : preview.path("batches")) {
                rows.add(List.of(Integer.toString(batch.path("index").asInt() + 1),
                        batch.path("canary").asBoolean() ? "canary" : "", Integer.toString(batch.path("nodes")
                                .size()), cell(batch.path("nodes"))));
            }
            Table.print(out(), List.of("BATCH", "", "NODES", "NAMES"), rows, true);
            for (JsonNode skipped : preview.path("skipped")) {
                out().println("skipped " + text(skipped, "node") + ": " + text(skipped, "reason"));
            }
            out().println(text(preview, "eligible") + " node(s) to update to " + text(preview, "version")
                    + ", failures allowed " + text(preview, "allowedFailures") + ", about "
                    + text(preview, "estimatedSeconds") + " s");
        }
    }

    @Command(name = "plan", description = "Which node goes in which batch, which are skipped and why; changes"
            + " nothing.", mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = "  popfleet rollout plan 0.2.8 --group eu --strategy canary=1")
    static final class Plan extends Planning {
        @Override
        public Integer call() {
            printPlan(api().post("/api/v1/rollouts/preview", request()));
            return ExitCodes.OK;
        }
    }

    @Command(name = "start", description = "Start the rollout exactly as `rollout plan` shows it.",
            mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = "  popfleet rollout start 0.2.8 --group eu --strategy batches='1, 5%, rest'")
    static final class Start extends Planning {
        @Override
        public Integer call() {
            printRollout(this, api().post("/api/v1/rollouts", request()));
            return ExitCodes.OK;
        }
    }

    static void printRollout(ApiCommand command, JsonNode rollout) {
        if (command.format() == PopfleetCli.Format.table) {
            command.out().println("rollout " + text(rollout, "id") + " to " + text(rollout, "version") + ": "
                    + text(rollout, "state") + (rollout.hasNonNull("reason") ? " (" + text(rollout, "reason") + ")"
                            : "") + ", batch " + (rollout.path("currentBatch").asInt() + 1) + "/"
                    + text(rollout, "batches") + ", failures " + text(rollout, "failures") + "/"
                    + text(rollout, "allowedFailures"));
        } else {
            command.printObject(rollout);
        }
    }

    @Command(name = "list", description = "Rollouts, newest first.", mixinStandardHelpOptions = true,
            footerHeading = "%nExamples:%n", footer = "  popfleet rollout list")
    static final class ListRollouts extends ApiCommand {
        @Override
        public Integer call() {
            List<JsonNode> rollouts = new ArrayList<>();
            api().get("/api/v1/rollouts?size=100").path("items").forEach(rollouts::add);
            printList(rollouts, List.of("ID", "VERSION", "STATE", "BATCH", "FAILURES", "BY", "CREATED"),
                    rollout -> List.of(text(rollout, "id"), text(rollout, "version"), text(rollout, "state"),
                            (rollout.path("currentBatch").asInt() + 1) + "/" + text(rollout, "batches"),
                            text(rollout, "failures") + "/" + text(rollout, "allowedFailures"),
                            text(rollout, "createdBy"), text(rollout, "createdAt")));
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", description = "One rollout and each node's batch and step.",
            mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n", footer = "  popfleet rollout show 3")
    static final class Show extends ApiCommand {

        @Parameters(paramLabel = "ROLLOUT")
        long id;

        @Override
        public Integer call() {
            JsonNode rollout = api().get("/api/v1/rollouts/" + id);
            List<JsonNode> nodes = new ArrayList<>();
            api().get("/api/v1/rollouts/" + id + "/nodes").forEach(nodes::add);
            if (format() == PopfleetCli.Format.table) {
                printRollout(this, rollout);
            } else if (format() == PopfleetCli.Format.json) {
                com.fasterxml.jackson.databind.node.ObjectNode whole = ApiClient.JSON.createObjectNode();
                whole.set("rollout", rollout);
                whole.set("nodes", ApiClient.array(nodes));
                out().println(pretty(whole));
                return ExitCodes.OK;
            }
            printList(nodes, List.of("NODE", "REGION", "BATCH", "STEP", "FROM", "FAILURE"), node -> List.of(
                    text(node, "node"), text(node, "region"), text(node, "batch"), text(node, "state"),
                    text(node, "previousVersion"), node.hasNonNull("skipReason") ? "skipped: "
                            + text(node, "skipReason") : text(node, "failure")));
            return ExitCodes.OK;
        }
    }

    /** pause, resume, abort, promote: one POST, the rollout's new state. */
    abstract static class Steer extends ApiCommand {

        @Parameters(paramLabel = "ROLLOUT")
        long id;

        abstract String action();

        @Override
        public Integer call() {
            printRollout(this, api().post("/api/v1/rollouts/" + id + "/" + action(), null));
            return ExitCodes.OK;
        }
    }

    @Command(name = "pause", description = "Start no new node; nodes updating finish.",
            mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n", footer = "  popfleet rollout pause 3")
    static final class Pause extends Steer {
        @Override
        String action() {
            return "pause";
        }
    }

    @Command(name = "resume", description = "Go on after a pause.", mixinStandardHelpOptions = true,
            footerHeading = "%nExamples:%n", footer = "  popfleet rollout resume 3")
    static final class Resume extends Steer {
        @Override
        String action() {
            return "resume";
        }
    }

    @Command(name = "abort", description = "Stop for good: no new node starts; nodes updating finish (and revert"
            + " if they fail).", mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = "  popfleet rollout abort 3")
    static final class Abort extends Steer {
        @Override
        String action() {
            return "abort";
        }
    }

    @Command(name = "promote", description = "Go on after a healthy canary (strategies with"
            + " promoteAfterCanary=true).", mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = "  popfleet rollout promote 3")
    static final class Promote extends Steer {
        @Override
        String action() {
            return "promote";
        }
    }

    @Command(name = "release", description = "Register a node binary as a version, from a file or from a URL the"
            + " controller fetches; the controller pins its sha256.", mixinStandardHelpOptions = true,
            footerHeading = "%nExamples:%n", footer = { "  popfleet rollout release 0.2.8 ./pop-0.2.8",
                    "  popfleet rollout release 0.2.8 --from https://example.org/pop-0.2.8 --sha256 <64 hex>" })
    static final class Release extends ApiCommand {

        @Parameters(index = "0", paramLabel = "VERSION")
        String version;

        @Parameters(index = "1", paramLabel = "FILE", arity = "0..1", description = "The binary (or --from URL)")
        Path file;

        @Option(names = "--from", paramLabel = "URL", description = "Where the controller fetches the binary"
                + " (https; the controller downloads it, never the nodes)")
        String url;

        @Option(names = "--sha256", paramLabel = "HEX", description = "With --from: the hash the binary must have;"
                + " any other is refused and nothing is stored")
        String sha256;

        @Override
        public Integer call() {
            if ((file == null) == (url == null)) {
                throw new CliException(ExitCodes.USAGE, "give either FILE or --from URL");
            }
            if (sha256 != null && url == null) {
                throw new CliException(ExitCodes.USAGE, "--sha256 goes with --from (an upload's hash is computed)");
            }
            JsonNode release;
            if (url != null) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("version", version);
                body.put("url", url);
                if (sha256 != null) {
                    body.put("sha256", sha256);
                }
                release = api().post("/api/v1/releases/fetch", body);
            } else {
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(file);
                } catch (IOException e) {
                    throw new CliException(ExitCodes.USAGE, "cannot read " + file + ": " + e.getMessage());
                }
                release = api().postBytes(ApiClient.path("/api/v1/releases", ApiClient.query("version", version)),
                        "application/octet-stream", bytes);
            }
            if (format() == PopfleetCli.Format.table) {
                out().println("registered " + text(release, "version") + " sha256 " + text(release, "sha256"));
            } else {
                printObject(release);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "releases", description = "Registered node binary versions, newest first.",
            mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n", footer = "  popfleet rollout releases")
    static final class Releases extends ApiCommand {
        @Override
        public Integer call() {
            List<JsonNode> releases = new ArrayList<>();
            api().get("/api/v1/releases").forEach(releases::add);
            printList(releases, List.of("VERSION", "SHA256", "BYTES", "BY", "CREATED"), release -> List.of(
                    text(release, "version"), text(release, "sha256"), text(release, "sizeBytes"),
                    text(release, "uploadedBy"), text(release, "createdAt")));
            return ExitCodes.OK;
        }
    }
}
