package io.popfleet.cli;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The fleet's read-only views: leaderboard, drift, alerts and the audit trail. */
final class FleetCommands {

    private FleetCommands() {
    }

    @Command(name = "leaderboard", description = "The fleet ranked, with each node's movement since a day and a"
            + " week ago.", mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = { "  popfleet leaderboard", "  popfleet leaderboard --sort points --limit 10" })
    static final class Leaderboard extends ApiCommand {

        @Option(names = "--sort", paramLabel = "BY", defaultValue = "reputation", description = "reputation"
                + " (default), points, egress or external")
        String sort;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "The first N nodes (1-500)")
        int limit;

        @Override
        public Integer call() {
            List<JsonNode> rows = new ArrayList<>();
            api().get(ApiClient.path("/api/v1/leaderboard", ApiClient.query("sort", sort, "size", limit)))
                    .path("items").forEach(rows::add);
            printList(rows, List.of("RANK", "NODE", "REGION", "STATE", "REPUTATION", "POINTS", "EGRESS_7D", "DAY",
                    "WEEK"), row -> List.of(text(row, "rank"), text(row, "name"), text(row, "region"),
                            text(row, "state"), text(row, "reputation"), text(row, "points"),
                            text(row, "egressBytes7d"), text(row, "rankDayAgo"), text(row, "rankWeekAgo")));
            return ExitCodes.OK;
        }
    }

    @Command(name = "drift", description = "Nodes whose facts disagree (wallet, version, ports), with the run that"
            + " fixes each.", mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = { "  popfleet drift", "  popfleet drift --kind version --output json" })
    static final class Drift extends ApiCommand {

        @Option(names = "--kind", paramLabel = "CODE", description = "Only this finding: wallet_inventory,"
                + " wallet_unit, wallet_process, version, ports_setting, ports_process, ports_conflict")
        String kind;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "500", description = "At most N nodes (1-10000)")
        int limit;

        @Override
        public Integer call() {
            JsonNode report = api().get(ApiClient.path("/api/v1/drift", ApiClient.query("kind", kind, "limit",
                    limit)));
            if (format() == PopfleetCli.Format.json) {
                out().println(pretty(report));
                return ExitCodes.OK;
            }
            List<JsonNode> findings = new ArrayList<>();
            for (JsonNode node : report.path("nodes")) {
                for (JsonNode finding : node.path("findings")) {
                    com.fasterxml.jackson.databind.node.ObjectNode line = finding.deepCopy();
                    line.put("node", node.path("name").asText());
                    line.put("host", node.path("host").asText());
                    findings.add(line);
                }
            }
            printList(findings, List.of("NODE", "CODE", "EXPECTED", "ACTUAL", "FIX"), finding -> List.of(
                    text(finding, "node"), text(finding, "code"), text(finding, "expected"), text(finding, "actual"),
                    fix(finding.path("fix"))));
            if (format() == PopfleetCli.Format.table) {
                out().println(report.path("total").asLong() + " node(s) drifting");
            }
            return ExitCodes.OK;
        }

        static String fix(JsonNode fix) {
            if (!fix.hasNonNull("operation")) {
                return cell(fix.get("note"));
            }
            if (fix.get("operation").asText().equals("rollout")) {
                return "popfleet rollout start " + fix.path("options").path("version").asText();
            }
            StringBuilder line = new StringBuilder("popfleet run ").append(fix.get("operation").asText());
            fix.path("arguments").forEach(argument -> line.append(' ').append(argument.asText()));
            fix.path("options").fields().forEachRemaining(option -> line.append(" -O ").append(option.getKey())
                    .append(option.getValue().asText().isEmpty() ? "" : "=" + option.getValue().asText()));
            return line.toString();
        }
    }

    @Command(name = "alerts", description = "Open alerts (node down, reputation drop, backups stale or corrupt,"
            + " version behind).", mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = { "  popfleet alerts", "  popfleet alerts --all --output jsonl" })
    static final class Alerts extends ApiCommand {

        @Option(names = "--all", description = "The 500 most recent alerts, resolved ones too")
        boolean all;

        @Override
        public Integer call() {
            List<JsonNode> alerts = new ArrayList<>();
            api().get(ApiClient.path("/api/v1/alerts", ApiClient.query("open", !all))).forEach(alerts::add);
            printList(alerts, List.of("ID", "NODE", "RULE", "OPENED", "RESOLVED", "MESSAGE"), alert -> List.of(
                    text(alert, "id"), text(alert, "nodeName"), text(alert, "rule"), text(alert, "openedAt"),
                    text(alert, "resolvedAt"), text(alert, "message")));
            return ExitCodes.OK;
        }
    }

    @Command(name = "audit", description = "The audit trail, newest first.", mixinStandardHelpOptions = true,
            footerHeading = "%nExamples:%n", footer = { "  popfleet audit --limit 20",
                    "  popfleet audit --action run.start --outcome refused --from 2026-11-01",
                    "  popfleet audit --node pop-fra-01 --output jsonl" })
    static final class Audit extends ApiCommand {

        @Option(names = "--actor", paramLabel = "USER")
        String actor;

        @Option(names = "--action", paramLabel = "ACTION", description = "e.g. run.start, node.update, auth.token")
        String action;

        @Option(names = "--outcome", paramLabel = "OUTCOME", description = "ok, failed or refused")
        String outcome;

        @Option(names = "--node", paramLabel = "NAME", description = "Events concerning this node")
        String node;

        @Option(names = "--from", paramLabel = "TIME", description = "From this ISO-8601 time or date (inclusive)")
        String from;

        @Option(names = "--to", paramLabel = "TIME", description = "Until this ISO-8601 time or date (exclusive)")
        String to;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N events (1-500)")
        int limit;

        @Override
        public Integer call() {
            List<JsonNode> events = new ArrayList<>();
            api().get(ApiClient.path("/api/v1/audit", ApiClient.query("actor", actor, "action", action, "outcome",
                    outcome, "node", node, "from", from, "to", to, "size", limit))).path("items")
                    .forEach(events::add);
            printList(events, List.of("AT", "ACTOR", "ACTION", "OUTCOME", "TARGET", "NODES"), event -> List.of(
                    text(event, "at"), text(event, "actor"), text(event, "action"), text(event, "outcome"),
                    text(event, "target"), text(event, "nodes")));
            return ExitCodes.OK;
        }
    }
}
