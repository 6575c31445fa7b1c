package io.popfleet.cli;

import java.util.ArrayList;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "runs", description = "Runs: list, show (and follow), cancel, re-run the failed nodes.",
        mixinStandardHelpOptions = true,
        subcommands = { RunsCommand.List.class, RunsCommand.Show.class, RunsCommand.Cancel.class,
                RunsCommand.RetryFailed.class },
        footerHeading = "%nExamples:%n", footer = { "  popfleet runs list", "  popfleet runs show 42 --wait",
                "  popfleet runs retry-failed 42 --wait" })
final class RunsCommand extends GroupCommand {

    static java.util.List<String> row(JsonNode run) {
        return java.util.List.of(text(run, "id"), text(run, "operation"), text(run, "state"), text(run, "total"),
                Long.toString(run.path("counts").path("ok").asLong()),
                Long.toString(run.path("counts").path("failed").asLong()), text(run, "startedBy"),
                text(run, "createdAt"));
    }

    @Command(name = "list", description = "Runs, newest first.", mixinStandardHelpOptions = true,
            footerHeading = "%nExamples:%n", footer = { "  popfleet runs list --limit 10",
                    "  popfleet runs list --output jsonl" })
    static final class List extends ApiCommand {

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N runs (1-500,"
                + " default 50)")
        int limit;

        @Override
        public Integer call() {
            java.util.List<JsonNode> runs = new ArrayList<>();
            api().get(ApiClient.path("/api/v1/runs", ApiClient.query("size", limit))).path("items")
                    .forEach(runs::add);
            printList(runs, java.util.List.of("ID", "OPERATION", "STATE", "NODES", "OK", "FAILED", "BY", "CREATED"),
                    RunsCommand::row);
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", description = "One run and each node's part; with --wait, follow it to its end.",
            mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = { "  popfleet runs show 42", "  popfleet runs show 42 --wait --output jsonl",
                    "%nExit code: 0 only if every node succeeded (or the run is still running, without --wait)." })
    static final class Show extends ApiCommand {

        @Parameters(paramLabel = "RUN", description = "The run's id")
        long id;

        @Option(names = { "-w", "--wait" }, description = "Follow the run to its end")
        boolean wait;

        @Override
        public Integer call() {
            RunWatcher watcher = new RunWatcher(api(), out(), err(), terminal(), format());
            if (wait) {
                return watcher.watch(id);
            }
            JsonNode run = api().get("/api/v1/runs/" + id);
            watcher.finish(run, api().all("/api/v1/runs/" + id + "/targets", Map.of()));
            return RunWatcher.exitCode(run);
        }
    }

    @Command(name = "cancel", description = "Cancel the nodes that have not started; running ones finish and"
            + " report (operator).", mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = "  popfleet runs cancel 42")
    static final class Cancel extends ApiCommand {

        @Parameters(paramLabel = "RUN", description = "The run's id")
        long id;

        @Override
        public Integer call() {
            JsonNode run = api().post("/api/v1/runs/" + id + "/cancel", null);
            if (format() == PopfleetCli.Format.table) {
                out().println(RunWatcher.summary(run));
            } else {
                printObject(run);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "retry-failed", description = {
            "A new run of the same operation over the nodes that failed (operator).",
            "A change whose effect is unknown (timed out, orphaned) or a node disabled since is re-run only with"
                    + " --confirm." }, mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = { "  popfleet runs retry-failed 42 --wait", "  popfleet runs retry-failed 42 --confirm" })
    static final class RetryFailed extends ApiCommand {

        @Parameters(paramLabel = "RUN", description = "The run whose failed nodes to re-run")
        long id;

        @Option(names = "--confirm", description = "Also re-run changes whose effect is unknown")
        boolean confirm;

        @Option(names = { "-w", "--wait" }, description = "Follow the new run to its end")
        boolean wait;

        @Override
        public Integer call() {
            JsonNode run = api().post("/api/v1/runs/" + id + "/retry" + (confirm ? "?confirm=true" : ""), null);
            long retry = run.path("id").asLong();
            if (wait) {
                return new RunWatcher(api(), out(), err(), terminal(), format()).watch(retry);
            }
            if (format() == PopfleetCli.Format.table) {
                out().println("run " + retry + " started: " + text(run, "operation") + " again on "
                        + run.path("total").asLong() + " node(s)");
            } else {
                printObject(run);
            }
            return ExitCodes.OK;
        }
    }
}
