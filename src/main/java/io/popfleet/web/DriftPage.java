package io.popfleet.web;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

import io.popfleet.drift.DriftFix;
import io.popfleet.drift.DriftKind;
import io.popfleet.drift.DriftReport;
import io.popfleet.drift.DriftService;
import io.popfleet.drift.NodeDrift;
import io.popfleet.runs.NodeRun;
import io.popfleet.runs.RunService;
import io.popfleet.security.Roles;

/**
 * Nodes whose facts disagree, by kind, each finding with the node-tool command that mends it and a link to a
 * prepared run. With one kind chosen and one fix for every listed node, one run can mend them all.
 */
@Path("/drift")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VIEWER)
public class DriftPage {

    private static final int SHOWN = 500;

    /**
     * The run that mends every listed node of the chosen kind at once, when their fix is the same.
     *
     * @param nodes the node names, space-separated as the run form takes them
     */
    public record BulkFix(DriftFix fix, String nodes, int count) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance drift(String nav, DriftReport report, List<DriftKind> kinds, String kind,
                BulkFix bulk, Map<Long, NodeRun> fixRan);
    }

    @Inject
    DriftService drift;

    @Inject
    RunService runs;

    @GET
    public TemplateInstance page(@QueryParam("kind") String code) {
        Optional<DriftKind> kind = DriftKind.fromQuery(code);
        DriftReport report = drift.report(kind, SHOWN);
        return Templates.drift("drift", report, List.of(DriftKind.values()), kind.map(DriftKind::code).orElse(""),
                kind.flatMap(k -> bulk(k, report.nodes())).orElse(null), fixRan(report.nodes()));
    }

    /**
     * The listed nodes whose fix has run, successfully, since their facts were read: the page says so instead of
     * offering the fix again, until the next poll reads the node afresh and drops it from the list.
     */
    private Map<Long, NodeRun> fixRan(List<NodeDrift> nodes) {
        Optional<Instant> oldest = nodes.stream().map(NodeDrift::observedAt).filter(java.util.Objects::nonNull)
                .min(Comparator.naturalOrder());
        if (oldest.isEmpty()) {
            return Map.of();
        }
        Map<Long, NodeRun> changed = runs.changedOkSince(nodes.stream().map(NodeDrift::nodeId).toList(), oldest.get());
        Map<Long, NodeRun> ran = new HashMap<>();
        for (NodeDrift node : nodes) {
            NodeRun run = changed.get(node.nodeId());
            Set<String> fixes = node.findings().stream().map(f -> f.fix().operation()).collect(Collectors.toSet());
            if (run != null && node.observedAt() != null && run.createdAt().isAfter(node.observedAt())
                    && fixes.contains(run.operation())) {
                ran.put(node.nodeId(), run);
            }
        }
        return ran;
    }

    private static Optional<BulkFix> bulk(DriftKind kind, List<NodeDrift> nodes) {
        List<DriftFix> fixes = nodes.stream().flatMap(n -> n.findings().stream())
                .filter(f -> f.kind() == kind).map(f -> f.fix()).distinct().toList();
        if (fixes.size() != 1 || !fixes.get(0).complete() || fixes.get(0).note() != null) {
            return Optional.empty();
        }
        String names = String.join(" ", nodes.stream().map(NodeDrift::name).toList());
        return Optional.of(new BulkFix(fixes.get(0), names, nodes.size()));
    }
}
