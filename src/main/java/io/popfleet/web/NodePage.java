package io.popfleet.web;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

import io.popfleet.api.NotFoundProblem;
import io.popfleet.drift.DriftFinding;
import io.popfleet.drift.DriftService;
import io.popfleet.inventory.NodeService;
import io.popfleet.inventory.NodeView;
import io.popfleet.metrics.MetricsService;
import io.popfleet.metrics.NodeHealth;
import io.popfleet.runs.NodeRun;
import io.popfleet.runs.RunService;
import io.popfleet.security.AuditEvent;
import io.popfleet.security.Roles;

/** One node: what the inventory knows and what was done to it. */
@Path("/nodes")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VIEWER)
public class NodePage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance node(String nav, NodeView node, NodeHealth health, List<DriftFinding> drift,
                List<HistoryEntry> history);
    }

    private static final int HISTORY = 30;

    /**
     * One line of the node's history: an audit entry (inventory changes, imports) or a run that reached the node,
     * with the node's own outcome in that run.
     *
     * @param link the run's page, or null for an audit entry
     * @param detail the failure's reason for a run that failed here, else empty
     */
    public record HistoryEntry(Instant at, String who, String action, String outcome, String link, String detail) {

        static HistoryEntry of(AuditEvent event) {
            return new HistoryEntry(event.at, event.actor, event.action, event.outcome, null, "");
        }

        static HistoryEntry of(NodeRun run) {
            String detail = run.failureKind() == null ? ""
                    : run.failureKind() + (run.failureMessage() == null ? "" : ": " + run.failureMessage());
            return new HistoryEntry(run.createdAt(), run.startedBy(), run.commandLine(), run.state(),
                    "/runs/" + run.runId(), detail);
        }

        public boolean isRun() {
            return link != null;
        }
    }

    @Inject
    NodeService nodes;

    @Inject
    MetricsService metrics;

    @Inject
    DriftService drift;

    @Inject
    RunService runs;

    @GET
    @Path("{id}")
    public TemplateInstance node(@PathParam("id") long id) {
        NodeView node = nodes.get(id).orElseThrow(() -> new NotFoundProblem("node", id));
        List<NodeRun> nodeRuns = runs.forNode(id, HISTORY);
        // A run's own audit entry ("run.start … run 12") would repeat the run's line.
        Set<String> shown = nodeRuns.stream().map(run -> "run " + run.runId()).collect(Collectors.toSet());
        List<HistoryEntry> history = Stream.concat(
                AuditEvent.forNode(node.name(), HISTORY).stream()
                        .filter(event -> !("run.start".equals(event.action) && shown.contains(event.target)))
                        .map(HistoryEntry::of),
                nodeRuns.stream().map(HistoryEntry::of))
                .sorted(Comparator.comparing(HistoryEntry::at).reversed()).limit(HISTORY).toList();
        NodeHealth health = metrics.latest(List.of(id)).get(id);
        return Templates.node("fleet", node, health, drift.forNode(id), history);
    }
}
