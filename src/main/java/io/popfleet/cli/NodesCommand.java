package io.popfleet.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "nodes", description = "The fleet inventory: list, show, add, disable and enable nodes.",
        mixinStandardHelpOptions = true,
        subcommands = { NodesCommand.List.class, NodesCommand.Show.class, NodesCommand.Add.class,
                NodesCommand.Disable.class, NodesCommand.Enable.class },
        footerHeading = "%nExamples:%n", footer = { "  popfleet nodes list --group eu-west",
                "  popfleet nodes show pop-fra-01 --output json" })
final class NodesCommand extends GroupCommand {

    private static final java.util.List<String> HEADERS = java.util.List.of("NAME", "HOST", "PORT", "REGION",
            "ENABLED", "GROUPS", "TAGS");

    static java.util.List<String> row(JsonNode node) {
        return java.util.List.of(text(node, "name"), text(node, "host"), text(node, "sshPort"), text(node, "region"),
                text(node, "enabled"), text(node, "groups"), tags(node.path("tags")));
    }

    static String tags(JsonNode tags) {
        java.util.List<String> parts = new ArrayList<>();
        tags.fields().forEachRemaining(tag -> parts.add(tag.getValue().asText().isEmpty() ? tag.getKey()
                : tag.getKey() + "=" + tag.getValue().asText()));
        return String.join(",", parts);
    }

    /** A node by its name, or its id when all digits; an unknown one is a refusal, as the API's 404. */
    static JsonNode find(ApiClient api, String nameOrId) {
        if (nameOrId.chars().allMatch(Character::isDigit) && !nameOrId.isEmpty()) {
            return api.get("/api/v1/nodes/" + nameOrId);
        }
        for (JsonNode node : api.all("/api/v1/nodes", ApiClient.query("q", nameOrId))) {
            if (node.path("name").asText().equals(nameOrId)) {
                return node;
            }
        }
        throw new CliException(ExitCodes.REFUSED, "Node not found: no node is named '" + nameOrId + "'");
    }

    @Command(name = "list", description = "Nodes, filtered, in name order.", mixinStandardHelpOptions = true,
            footerHeading = "%nExamples:%n", footer = { "  popfleet nodes list", "  popfleet nodes list --tag canary"
                    + " --enabled", "  popfleet nodes list -q fra --output jsonl" })
    static final class List extends ApiCommand {

        @Option(names = { "-g", "--group" }, paramLabel = "GROUP", description = "Only nodes in this group")
        String group;

        @Option(names = { "-t", "--tag" }, paramLabel = "KEY[=VALUE]", description = "Only nodes with this tag")
        String tag;

        @Option(names = { "-q", "--query" }, paramLabel = "TEXT", description = "Name, host, region or notes contain"
                + " TEXT")
        String query;

        @Option(names = "--enabled", description = "Only enabled nodes")
        boolean enabledOnly;

        @Option(names = "--disabled", description = "Only disabled nodes")
        boolean disabledOnly;

        @Override
        public Integer call() {
            Boolean enabled = enabledOnly ? Boolean.TRUE : disabledOnly ? Boolean.FALSE : null;
            printList(api().all("/api/v1/nodes", ApiClient.query("group", group, "tag", tag, "q", query, "enabled",
                    enabled)), HEADERS, NodesCommand::row);
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", description = "One node, by name or id.", mixinStandardHelpOptions = true,
            footerHeading = "%nExamples:%n", footer = "  popfleet nodes show pop-fra-01")
    static final class Show extends ApiCommand {

        @Parameters(paramLabel = "NODE", description = "The node's name or id")
        String node;

        @Override
        public Integer call() {
            printObject(find(api(), node));
            return ExitCodes.OK;
        }
    }

    @Command(name = "add", description = "Add a node (admin).", mixinStandardHelpOptions = true,
            footerHeading = "%nExamples:%n", footer = "  popfleet nodes add pop-fra-02 203.0.113.7 --user pop"
                    + " --credential fleet-key --region eu-central --group eu --tag canary")
    static final class Add extends ApiCommand {

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "HOST", description = "Hostname or IP address")
        String host;

        @Option(names = "--port", paramLabel = "PORT", description = "SSH port (default 22)")
        Integer port;

        @Option(names = "--user", paramLabel = "USER", description = "SSH user")
        String user;

        @Option(names = "--credential", paramLabel = "NAME", description = "The SSH credential to log in with")
        String credential;

        @Option(names = "--region", paramLabel = "REGION")
        String region;

        @Option(names = "--wallet", paramLabel = "ADDRESS", description = "The node's wallet address")
        String wallet;

        @Option(names = "--notes", paramLabel = "TEXT")
        String notes;

        @Option(names = { "-g", "--group" }, paramLabel = "GROUP", description = "A group (repeat for more)")
        java.util.List<String> groups = new ArrayList<>();

        @Option(names = { "-t", "--tag" }, paramLabel = "KEY[=VALUE]", description = "A tag (repeat for more)")
        java.util.List<String> tags = new ArrayList<>();

        @Option(names = "--disabled", description = "Add it disabled: no run reaches it until enabled")
        boolean disabled;

        @Override
        public Integer call() {
            Map<String, Object> input = new LinkedHashMap<>();
            input.put("name", name);
            input.put("host", host);
            input.put("sshPort", port);
            input.put("sshUser", user);
            input.put("credentialRef", credential);
            input.put("enabled", !disabled);
            input.put("region", region);
            input.put("walletAddress", wallet);
            input.put("notes", notes);
            input.put("groups", groups);
            input.put("tags", tags);
            JsonNode created = api().post("/api/v1/nodes", input);
            if (format() == PopfleetCli.Format.table) {
                out().println("added node " + text(created, "name") + " (id " + text(created, "id") + ")");
            } else {
                printObject(created);
            }
            return ExitCodes.OK;
        }
    }

    /** Writes the node back as it was read, but for {@code enabled}; the version refuses a stale write. */
    abstract static class Switch extends ApiCommand {

        @Parameters(paramLabel = "NODE", arity = "1..*", description = "Node names or ids")
        java.util.List<String> nodes;

        abstract boolean enabled();

        @Override
        public Integer call() {
            for (String name : nodes) {
                JsonNode node = find(api(), name);
                Map<String, Object> input = new LinkedHashMap<>();
                for (String field : new String[] { "name", "host", "sshPort", "sshUser", "credentialRef", "region",
                        "walletAddress", "notes", "groups", "version" }) {
                    input.put(field, node.get(field));
                }
                java.util.List<String> tags = new ArrayList<>();
                node.path("tags").fields().forEachRemaining(tag -> tags.add(tag.getValue().asText().isEmpty()
                        ? tag.getKey() : tag.getKey() + "=" + tag.getValue().asText()));
                input.put("tags", tags);
                input.put("enabled", enabled());
                JsonNode written = api().put("/api/v1/nodes/" + node.path("id").asText(), input);
                if (format() == PopfleetCli.Format.table) {
                    out().println((enabled() ? "enabled " : "disabled ") + text(written, "name"));
                } else {
                    printObject(written);
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "disable", description = "Disable nodes: runs leave them out unless asked (admin).",
            mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = "  popfleet nodes disable pop-fra-01 pop-ams-02")
    static final class Disable extends Switch {
        @Override
        boolean enabled() {
            return false;
        }
    }

    @Command(name = "enable", description = "Enable nodes again (admin).", mixinStandardHelpOptions = true,
            footerHeading = "%nExamples:%n", footer = "  popfleet nodes enable pop-fra-01")
    static final class Enable extends Switch {
        @Override
        boolean enabled() {
            return true;
        }
    }
}
