package io.popfleet.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", description = {
        "Run a node-tool operation on the selected nodes (operator). `popfleet operations` lists them.",
        "An operation that changes nodes needs a confirmation: on a terminal you type the node count; in a script"
                + " pass --yes (the count the controller reports now) or --confirm-nodes N (refused if the"
                + " selection covers another number)." },
        mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
        footer = { "  popfleet run status --wait", "  popfleet run status --group eu-west --wait --output jsonl",
                "  popfleet run restart --node pop-fra-01 --wait --yes",
                "  popfleet run configure POP_CACHE_SIZE=200 --tag canary --confirm-nodes 3 --wait",
                "  popfleet run logs --node pop-fra-01 --option lines=50 --wait",
                "%nExit codes: 0 every node succeeded (or the run started, without --wait), 1 some nodes failed,",
                "3 refused (nothing started), 4 token refused or role too low." })
final class RunCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "OPERATION", description = "A catalog operation: status, health,"
            + " restart, ...")
    String operation;

    @Parameters(index = "1..*", paramLabel = "ARG", description = "The operation's arguments")
    List<String> arguments = new ArrayList<>();

    @Mixin
    Selection selection;

    @Option(names = { "-O", "--option" }, paramLabel = "NAME[=VALUE]", description = "An option of the operation,"
            + " without its dashes (repeat for more)")
    List<String> options = new ArrayList<>();

    @Option(names = { "-w", "--wait" }, description = "Follow the run to its end: progress, each node's result,"
            + " and the exit code")
    boolean wait;

    @Option(names = { "-y", "--yes" }, description = "Confirm a changing operation on as many nodes as the"
            + " selection covers now")
    boolean yes;

    @Option(names = "--confirm-nodes", paramLabel = "N", description = "Confirm a changing operation on exactly N"
            + " nodes; refused if the selection covers another number")
    Long confirmNodes;

    @Override
    public Integer call() {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("operation", operation);
        request.put("arguments", arguments);
        request.put("options", options());
        request.put("selection", selection.toJson());
        Long confirmed = confirmation();
        if (confirmed != null) {
            request.put("confirmNodes", confirmed);
        }
        JsonNode run = api().post("/api/v1/runs", request);
        long id = run.path("id").asLong();
        if (!wait) {
            if (format() == PopfleetCli.Format.table) {
                out().println("run " + id + " started: " + operation + " on " + run.path("total").asLong()
                        + " node(s); follow it with: popfleet runs show " + id + " --wait");
            } else {
                printObject(run);
            }
            return ExitCodes.OK;
        }
        if (format() == PopfleetCli.Format.table) {
            out().println("run " + id + ": " + operation + " on " + run.path("total").asLong() + " node(s)");
            out().flush();
        }
        return new RunWatcher(api(), out(), err(), terminal(), format()).watch(id);
    }

    private Map<String, String> options() {
        Map<String, String> map = new LinkedHashMap<>();
        for (String option : options) {
            int equals = option.indexOf('=');
            String name = (equals < 0 ? option : option.substring(0, equals)).replaceFirst("^-+", "");
            map.put(name, equals < 0 ? "" : option.substring(equals + 1));
        }
        return map;
    }

    /**
     * The node count to confirm, or null for an operation that never changes a node. The controller checks the
     * number against the selection when the run starts, so a selection that grew meanwhile starts nothing.
     */
    private Long confirmation() {
        if (confirmNodes != null) {
            return confirmNodes;
        }
        String mutates = null;
        for (JsonNode known : api().get("/api/v1/operations")) {
            if (known.path("operation").asText().equals(operation)) {
                mutates = known.path("mutates").asText();
            }
        }
        // Not in the catalog: the controller refuses it (unknown-operation) better than a question would.
        if (mutates == null || "never".equals(mutates)) {
            return null;
        }
        long count = api().post("/api/v1/runs/count", selection.toJson()).path("nodes").asLong();
        if (count == 0 || yes) {
            return count;
        }
        String what = operation + ("by-arguments".equals(mutates) ? " (with these arguments)" : "")
                + " may change " + count + " node(s): " + selection.describe();
        if (!terminal()) {
            throw new CliException(ExitCodes.REFUSED, what + "; confirm with --yes or --confirm-nodes " + count
                    + "; nothing was started");
        }
        err().print(what + ". Type " + count + " to go on: ");
        err().flush();
        String answer;
        try {
            answer = new BufferedReader(new InputStreamReader(root().environment().in(), StandardCharsets.UTF_8))
                    .readLine();
        } catch (IOException e) {
            answer = null;
        }
        if (answer == null || !answer.strip().equals(Long.toString(count))) {
            throw new CliException(ExitCodes.REFUSED, "not confirmed; nothing was started");
        }
        return count;
    }
}
