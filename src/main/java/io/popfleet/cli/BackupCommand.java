package io.popfleet.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "backup", description = "Node identity backups in the controller's store: back up now, list,"
        + " verify, restore (operator).", mixinStandardHelpOptions = true,
        subcommands = { BackupCommand.Run.class, BackupCommand.ListBackups.class, BackupCommand.Verify.class,
                BackupCommand.Restore.class },
        footerHeading = "%nExamples:%n", footer = { "  popfleet backup run --group eu --wait",
                "  popfleet backup list --node pop-fra-01", "  popfleet backup restore 17 --wait" })
final class BackupCommand extends GroupCommand {

    /** Follows the run a backup or restore started, or says how to. */
    static int started(ApiCommand command, JsonNode answer, boolean wait, String what) {
        long run = answer.path("run").asLong();
        if (wait) {
            return new RunWatcher(command.api(), command.out(), command.err(), command.terminal(), command.format())
                    .watch(run);
        }
        if (command.format() == PopfleetCli.Format.table) {
            command.out().println(what + ": run " + run + "; follow it with: popfleet runs show " + run + " --wait");
        } else {
            command.printObject(answer);
        }
        return ExitCodes.OK;
    }

    @Command(name = "run", description = "Back up the selected nodes now: a run of pop backup, each archive then"
            + " pulled, checked and stored encrypted.", mixinStandardHelpOptions = true,
            footerHeading = "%nExamples:%n", footer = { "  popfleet backup run --wait",
                    "  popfleet backup run --node pop-fra-01 --wait" })
    static final class Run extends ApiCommand {

        @Option(names = { "-g", "--group" }, paramLabel = "GROUP", description = "Nodes in this group (repeat: any)")
        List<String> groups = new ArrayList<>();

        @Option(names = { "-t", "--tag" }, paramLabel = "KEY[=VALUE]", description = "Nodes with this tag (repeat:"
                + " all)")
        List<String> tags = new ArrayList<>();

        @Option(names = { "-n", "--node" }, paramLabel = "NAME", description = "This node (repeat for more)")
        List<String> nodes = new ArrayList<>();

        @Option(names = { "-q", "--query" }, paramLabel = "TEXT")
        String query;

        @Option(names = { "-w", "--wait" }, description = "Follow the backup run to its end")
        boolean wait;

        @Override
        public Integer call() {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("groups", groups);
            request.put("tags", tags);
            request.put("q", query);
            request.put("nodes", nodes);
            return started(this, api().post("/api/v1/backups/runs", request), wait, "backup started");
        }
    }

    @Command(name = "list", description = "Stored backups, newest first.", mixinStandardHelpOptions = true,
            footerHeading = "%nExamples:%n", footer = { "  popfleet backup list", "  popfleet backup list --node"
                    + " pop-fra-01 --output json" })
    static final class ListBackups extends ApiCommand {

        @Option(names = "--node", paramLabel = "NODE", description = "Only this node's backups (name or id)")
        String node;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N (1-500)")
        int limit;

        @Override
        public Integer call() {
            Long nodeId = node == null ? null : NodesCommand.find(api(), node).path("id").asLong();
            List<JsonNode> backups = new ArrayList<>();
            api().get(ApiClient.path("/api/v1/backups", ApiClient.query("node", nodeId, "size", limit)))
                    .forEach(backups::add);
            printList(backups, List.of("ID", "NODE", "MADE", "BYTES", "VERIFIED", "OK", "ARCHIVE"), backup -> List.of(
                    text(backup, "id"), text(backup, "nodeName"), text(backup, "madeAt"), text(backup, "sizeBytes"),
                    text(backup, "verifiedAt"), text(backup, "verifyOk"), text(backup, "archiveName")));
            return ExitCodes.OK;
        }
    }

    @Command(name = "verify", description = "Re-hash every stored backup now; failures open backup_corrupt alerts.",
            mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n", footer = "  popfleet backup verify")
    static final class Verify extends ApiCommand {
        @Override
        public Integer call() {
            JsonNode report = api().post("/api/v1/backups/verify", null);
            if (format() == PopfleetCli.Format.table) {
                out().println("checked " + text(report, "checked") + ", failed " + text(report, "failed"));
            } else {
                printObject(report);
            }
            return report.path("failed").asLong() == 0 ? ExitCodes.OK : ExitCodes.SOME_FAILED;
        }
    }

    @Command(name = "restore", description = "Put a stored backup back on its node: upload, then a run of pop"
            + " restore with its own checks.", mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = "  popfleet backup restore 17 --wait")
    static final class Restore extends ApiCommand {

        @Parameters(paramLabel = "BACKUP", description = "The backup's id (`backup list`)")
        long id;

        @Option(names = { "-w", "--wait" }, description = "Follow the restore run to its end")
        boolean wait;

        @Override
        public Integer call() {
            return started(this, api().post("/api/v1/backups/" + id + "/restore", null), wait, "restore started");
        }
    }
}
