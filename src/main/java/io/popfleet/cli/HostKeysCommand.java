package io.popfleet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "hostkeys", description = "SSH host-key pins: list, keys offered and refused, approve, re-pin,"
        + " import known_hosts.", mixinStandardHelpOptions = true,
        subcommands = { HostKeysCommand.List.class, HostKeysCommand.Sightings.class, HostKeysCommand.Approve.class,
                HostKeysCommand.Repin.class, HostKeysCommand.Import.class },
        footerHeading = "%nExamples:%n", footer = { "  popfleet hostkeys import ~/.ssh/known_hosts",
                "  popfleet hostkeys approve pop-fra-01 --fingerprint SHA256:..." })
final class HostKeysCommand extends GroupCommand {

    @Command(name = "list", description = "The pinned host keys.", mixinStandardHelpOptions = true,
            footerHeading = "%nExamples:%n", footer = "  popfleet hostkeys list")
    static final class List extends ApiCommand {
        @Override
        public Integer call() {
            printList(api().all("/api/v1/ssh/host-keys", Map.of()), java.util.List.of("NODE", "FINGERPRINT",
                    "SOURCE", "PINNED", "BY"), pin -> java.util.List.of(text(pin, "nodeName"),
                            text(pin, "fingerprint"), text(pin, "source"), text(pin, "pinnedAt"),
                            text(pin, "pinnedBy")));
            return ExitCodes.OK;
        }
    }

    @Command(name = "sightings", description = "Host keys nodes offered and the controller refused: what can be"
            + " approved or re-pinned to.", mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = "  popfleet hostkeys sightings")
    static final class Sightings extends ApiCommand {
        @Override
        public Integer call() {
            printList(api().all("/api/v1/ssh/host-keys/sightings", Map.of()), java.util.List.of("NODE",
                    "FINGERPRINT", "REASON", "LAST SEEN"), seen -> java.util.List.of(text(seen, "nodeName"),
                            text(seen, "fingerprint"), text(seen, "reason"), text(seen, "lastSeen")));
            return ExitCodes.OK;
        }
    }

    @Command(name = "approve", description = "Pin the key a node offered (a node with no pin yet; admin).",
            mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = "  popfleet hostkeys approve pop-fra-01 --fingerprint SHA256:...")
    static final class Approve extends ApiCommand {

        @Parameters(paramLabel = "NODE", description = "The node's name or id")
        String node;

        @Option(names = "--fingerprint", required = true, paramLabel = "SHA256:...", description = "The offered"
                + " key's fingerprint, as `hostkeys sightings` shows it")
        String fingerprint;

        @Override
        public Integer call() {
            long id = NodesCommand.find(api(), node).path("id").asLong();
            done(api().post("/api/v1/ssh/host-keys/" + id + "/approve", Map.of("fingerprint", fingerprint)));
            return ExitCodes.OK;
        }

        private void done(JsonNode pin) {
            if (format() == PopfleetCli.Format.table) {
                out().println("pinned " + text(pin, "fingerprint") + " for " + text(pin, "nodeName"));
            } else {
                printObject(pin);
            }
        }
    }

    @Command(name = "repin", description = "Replace a node's pinned key with one it offered, with a reason (admin,"
            + " audited).", mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = "  popfleet hostkeys repin pop-fra-01 --fingerprint SHA256:... --reason 'reinstalled'")
    static final class Repin extends ApiCommand {

        @Parameters(paramLabel = "NODE", description = "The node's name or id")
        String node;

        @Option(names = "--fingerprint", required = true, paramLabel = "SHA256:...")
        String fingerprint;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why the key changed")
        String reason;

        @Override
        public Integer call() {
            long id = NodesCommand.find(api(), node).path("id").asLong();
            Map<String, String> body = new LinkedHashMap<>();
            body.put("fingerprint", fingerprint);
            body.put("reason", reason);
            JsonNode pin = api().post("/api/v1/ssh/host-keys/" + id + "/repin", body);
            if (format() == PopfleetCli.Format.table) {
                out().println("re-pinned " + text(pin, "fingerprint") + " for " + text(pin, "nodeName"));
            } else {
                printObject(pin);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "import", description = "Pin the keys of a known_hosts file for the nodes it names (admin).",
            mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = "  popfleet hostkeys import ~/.ssh/known_hosts")
    static final class Import extends ApiCommand {

        @Parameters(paramLabel = "FILE", description = "A known_hosts file")
        Path file;

        @Override
        public Integer call() {
            byte[] body;
            try {
                body = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new CliException(ExitCodes.USAGE, "cannot read " + file + ": " + e.getMessage());
            }
            JsonNode result = api().postBytes("/api/v1/ssh/host-keys/import", "text/plain; charset=utf-8", body);
            if (format() == PopfleetCli.Format.table) {
                out().println("pinned " + text(result, "pinned") + ", already pinned " + text(result,
                        "alreadyPinned") + ", conflicts " + result.path("conflicts").size() + ", unmatched "
                        + result.path("unmatched").size());
            } else {
                printObject(result);
            }
            return ExitCodes.OK;
        }
    }

}
