package io.popfleet.web;

import java.util.List;

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
                List<AuditEvent> history);
    }

    @Inject
    NodeService nodes;

    @Inject
    MetricsService metrics;

    @Inject
    DriftService drift;

    @GET
    @Path("{id}")
    public TemplateInstance node(@PathParam("id") long id) {
        NodeView node = nodes.get(id).orElseThrow(() -> new NotFoundProblem("node", id));
        List<AuditEvent> history = AuditEvent.forNode(node.name(), 20);
        NodeHealth health = metrics.latest(List.of(id)).get(id);
        return Templates.node("fleet", node, health, drift.forNode(id), history);
    }
}
