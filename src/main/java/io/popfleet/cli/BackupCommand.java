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
        + " verify, restore, migrate (operator).", mixinStandardHelpOptions = true,
        subcommands = { BackupCommand.Run.class, BackupCommand.ListBackups.class, BackupCommand.Verify.class,
                BackupCommand.Restore.class, BackupCommand.Migrate.class },
        footerHeading = "%nExamples:%n", footer = { "  popfleet backup run --group eu --wait",
                "  popfleet backup list --node pop-fra-01", "  popfleet backup restore 17 --wait", "  popfleet backup migrate 17 --to pop-fra-02" })
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

    @Command(name = "restore", description = "Put a stored backup back on its node: shows the preview (the node's"
            + " identity now beside the backup's, what is replaced), asks, then uploads, runs pop restore and checks"
            + " identity and health.", mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = { "  popfleet backup restore 17", "  popfleet backup restore 17 --yes --wait" })
    static final class Restore extends ApiCommand {

        @Parameters(paramLabel = "BACKUP", description = "The backup's id (`backup list`)")
        long id;

        @Option(names = { "-y", "--yes" }, description = "Go on after the preview without asking (scripts)")
        boolean yes;

        @Option(names = { "-w", "--wait" }, description = "Follow the restore to its end (identity and health"
                + " checked)")
        boolean wait;

        @Override
        public Integer call() {
            JsonNode preview = api().get("/api/v1/backups/" + id + "/restore-preview");
            confirm(this, preview, yes);
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("confirm", preview.path("confirm").asText());
            return followed(this, api().post("/api/v1/backups/" + id + "/restore", request), wait);
        }
    }

    @Command(name = "migrate", description = "Move a backup's identity to another host, an inventory node added"
            + " first (its host key pinned): shows both IPs and the warnings, asks, then stops the old node, restores"
            + " and starts the new one, updates the inventory (old disabled) and checks.",
            mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = "  popfleet backup migrate 17 --to pop-fra-02 --yes --wait")
    static final class Migrate extends ApiCommand {

        @Parameters(paramLabel = "BACKUP", description = "The backup's id (`backup list`)")
        long id;

        @Option(names = "--to", required = true, paramLabel = "NODE", description = "The new host's inventory name")
        String to;

        @Option(names = { "-y", "--yes" }, description = "Go on after the preview without asking (scripts)")
        boolean yes;

        @Option(names = { "-w", "--wait" }, description = "Follow the migration to its end")
        boolean wait;

        @Override
        public Integer call() {
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("node", to);
            JsonNode preview = api().post("/api/v1/backups/" + id + "/migrate-preview", request);
            confirm(this, preview, yes);
            request.put("confirm", preview.path("confirm").asText());
            return followed(this, api().post("/api/v1/backups/" + id + "/migrate", request), wait);
        }
    }

    /**
     * Shows a restore's or migration's preview and asks to go on: on a terminal the operator types the target
     * node's name; a script must say {@code --yes}, having read nothing, or nothing happens.
     */
    static void confirm(ApiCommand command, JsonNode preview, boolean yes) {
        String target = preview.path("target").asText();
        java.io.PrintWriter err = command.err();
        err.println(preview.path("kind").asText("restore") + " of " + preview.path("archiveName").asText() + " onto "
                + target + " (" + preview.path("targetHost").asText() + ")");
        if (!preview.path("oldNode").isMissingNode() && !preview.path("oldNode").isNull()) {
            err.println("  from " + preview.path("oldNode").asText() + " (" + preview.path("oldHost").asText() + ")");
        }
        err.println("  identity in the backup: " + preview.path("backupFingerprint").asText()
                + (preview.path("sameIdentity").asBoolean() ? " (the node has it now)" : " (the node has another)"));
        preview.path("replaces").forEach(line -> err.println("  replaces: " + line.asText()));
        preview.path("warnings").forEach(line -> err.println("  warning: " + line.asText()));
        err.flush();
        if (yes) {
            return;
        }
        if (!command.terminal()) {
            throw new CliException(ExitCodes.REFUSED, "this replaces " + target + "'s identity: confirm with --yes"
                    + " after reading the preview; nothing was changed");
        }
        err.print("Type " + target + " to go on: ");
        err.flush();
        String answer;
        try {
            answer = new java.io.BufferedReader(new java.io.InputStreamReader(command.root().environment().in(),
                    java.nio.charset.StandardCharsets.UTF_8)).readLine();
        } catch (java.io.IOException e) {
            answer = null;
        }
        if (answer == null || !answer.strip().equals(target)) {
            throw new CliException(ExitCodes.REFUSED, "not confirmed; nothing was changed");
        }
    }

    /** Prints a started restore or migration and, with {@code wait}, polls it until its checks are done. */
    static int followed(ApiCommand command, JsonNode started, boolean wait) {
        JsonNode restore = started;
        long id = started.path("id").asLong();
        while (wait && "running".equals(restore.path("state").asText())) {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(ExitCodes.SOME_FAILED, "interrupted; the restore goes on on the controller:"
                        + " GET /api/v1/backups/restores/" + id);
            }
            restore = command.api().get("/api/v1/backups/restores/" + id);
        }
        if (command.format() == PopfleetCli.Format.table) {
            command.out().println(restore.path("kind").asText() + " " + id + " on " + restore.path("nodeName").asText()
                    + ": " + restore.path("state").asText() + " (" + restore.path("step").asText() + ")"
                    + (restore.path("failure").isTextual() ? ": " + restore.path("failure").asText() : ""));
        } else {
            command.printObject(restore);
        }
        return "failed".equals(restore.path("state").asText()) ? ExitCodes.SOME_FAILED : ExitCodes.OK;
    }
}
