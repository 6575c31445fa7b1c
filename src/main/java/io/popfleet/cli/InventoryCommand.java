package io.popfleet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "inventory", description = "Inventory files (YAML or Ansible INI) in and out.",
        mixinStandardHelpOptions = true, subcommands = { InventoryCommand.Import.class, InventoryCommand.Export.class },
        footerHeading = "%nExamples:%n", footer = { "  popfleet inventory import --preview fleet.yaml",
                "  popfleet inventory export --format ini > hosts.ini" })
final class InventoryCommand extends GroupCommand {

    @Command(name = "import", description = "Show what a file would change (--preview), or change it (--apply):"
            + " one transaction, all or nothing (admin).", mixinStandardHelpOptions = true,
            footerHeading = "%nExamples:%n", footer = { "  popfleet inventory import --preview fleet.yaml",
                    "  popfleet inventory import --apply hosts.ini --prune" })
    static final class Import extends ApiCommand {

        static final class Mode {
            @Option(names = "--preview", required = true, description = "Show the plan; write nothing")
            boolean preview;

            @Option(names = "--apply", required = true, description = "Carry out the plan just previewed (refused"
                    + " if the inventory changed in between)")
            boolean apply;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Mode mode;

        @Parameters(paramLabel = "FILE", description = "The inventory file")
        Path file;

        @Option(names = "--format", paramLabel = "yaml|ini", description = "The file's format (default: from the"
                + " file name or its content)")
        String fileFormat;

        @Option(names = "--prune", description = "Also remove nodes the file does not list")
        boolean prune;

        @Override
        public Integer call() {
            byte[] body;
            try {
                body = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new CliException(ExitCodes.USAGE, "cannot read " + file + ": " + e.getMessage());
            }
            String name = file.getFileName().toString();
            JsonNode plan = api().postBytes(ApiClient.path("/api/v1/inventory/import/preview",
                    ApiClient.query("format", fileFormat, "filename", name, "prune", prune)),
                    "application/octet-stream", body);
            if (mode.preview) {
                if (format() == PopfleetCli.Format.table) {
                    printPlan(plan);
                } else {
                    printObject(plan);
                }
                return ExitCodes.OK;
            }
            JsonNode result = api().postBytes(ApiClient.path("/api/v1/inventory/import/apply",
                    ApiClient.query("format", fileFormat, "filename", name, "prune", prune, "fingerprint",
                            plan.path("fingerprint").asText())), "application/octet-stream", body);
            if (format() == PopfleetCli.Format.table) {
                printPlan(plan);
                out().println("applied: " + summary(result));
            } else {
                printObject(result);
            }
            return ExitCodes.OK;
        }

        private void printPlan(JsonNode plan) {
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode node : plan.path("add")) {
                rows.add(List.of("add", name(node), ""));
            }
            for (JsonNode change : plan.path("change")) {
                List<String> fields = new ArrayList<>();
                change.path("fields").forEach(field -> fields.add(field.path("field").asText()));
                rows.add(List.of("change", name(change), String.join(",", fields)));
            }
            for (JsonNode node : plan.path("remove")) {
                rows.add(List.of("remove", name(node), ""));
            }
            if (rows.isEmpty()) {
                out().println("nothing to change");
            } else {
                Table.print(out(), List.of("ACTION", "NODE", "CHANGES"), rows, true);
            }
            out().println(plan.path("unchanged").isArray() ? plan.path("unchanged").size() + " unchanged"
                    : text(plan, "unchanged") + " unchanged");
            for (JsonNode warning : plan.path("warnings")) {
                out().println("warning: " + cell(warning));
            }
        }

        private static String name(JsonNode node) {
            return node.isTextual() ? node.asText() : node.has("name") ? node.get("name").asText() : node.toString();
        }

        private static String summary(JsonNode result) {
            List<String> parts = new ArrayList<>();
            result.fields().forEachRemaining(field -> {
                if (field.getValue().isNumber() && !"auditId".equals(field.getKey())) {
                    parts.add(field.getKey() + " " + field.getValue().asText());
                }
            });
            return parts.isEmpty() ? result.toString() : String.join(", ", parts);
        }
    }

    @Command(name = "export", description = "The whole inventory as a file that imports back to the same inventory.",
            mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = { "  popfleet inventory export > fleet.yaml", "  popfleet inventory export --format ini" })
    static final class Export extends ApiCommand {

        @Option(names = "--format", paramLabel = "yaml|ini", defaultValue = "yaml", description = "yaml (default) or"
                + " ini")
        String fileFormat;

        @Override
        public Integer call() {
            out().print(api().getText(ApiClient.path("/api/v1/inventory/export", ApiClient.query("format",
                    fileFormat))));
            return ExitCodes.OK;
        }
    }
}
