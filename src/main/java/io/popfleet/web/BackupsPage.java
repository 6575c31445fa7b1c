package io.popfleet.web;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

import io.popfleet.api.NotFoundProblem;
import io.popfleet.backup.BackupPolicies;
import io.popfleet.backup.BackupPolicy;
import io.popfleet.backup.BackupRestore;
import io.popfleet.backup.BackupService;
import io.popfleet.backup.NodeBackups;
import io.popfleet.backup.RestorePreview;
import io.popfleet.backup.RestoreView;
import io.popfleet.backup.StoredArchive;
import io.popfleet.security.Caller;
import io.popfleet.security.Roles;

/**
 * Backups: every node's newest verified copy in the controller's store (age, size, last verify, key), the stale
 * ones alone, each group's schedule and retention; a node's stored archives; and the restore and migrate wizards
 * (preview, then confirm), with the outcome of their checks.
 */
@Path("/backups")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VIEWER)
public class BackupsPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance backups(String nav, List<NodeBackups> nodes, boolean stale, long staleCount,
                List<BackupPolicy> policies, List<RestoreView> restores);

        static native TemplateInstance node(String nav, NodeBackups node, List<StoredArchive> archives,
                List<RestoreView> restores, List<String> otherNodes);

        static native TemplateInstance preview(String nav, RestorePreview preview);

        static native TemplateInstance restore(String nav, RestoreView restore);

        static native TemplateInstance restoreLive(RestoreView restore);
    }

    @Inject
    BackupService backups;

    @Inject
    BackupPolicies policies;

    @Inject
    BackupRestore restores;

    @Inject
    Caller caller;

    @GET
    public TemplateInstance list(@QueryParam("stale") boolean stale) {
        List<NodeBackups> all = backups.nodes(false);
        long staleCount = all.stream().filter(n -> n.enabled() && n.stale()).count();
        return Templates.backups("backups", stale ? all.stream().filter(n -> n.enabled() && n.stale()).toList() : all,
                stale, staleCount, policies.list(), restores.list(Optional.empty(), 20));
    }

    @GET
    @Path("nodes/{id: [0-9]+}")
    public TemplateInstance node(@PathParam("id") long id) {
        List<NodeBackups> all = backups.nodes(false);
        NodeBackups node = all.stream().filter(n -> n.nodeId() == id).findFirst()
                .orElseThrow(() -> new NotFoundProblem("node", id));
        return Templates.node("backups", node, backups.list(Optional.of(id), 200), restores.list(Optional.of(id), 20),
                all.stream().filter(n -> n.nodeId() != id).map(NodeBackups::nodeName).toList());
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("policies")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response policy(@FormParam("group") String group, @FormParam("enabled") String enabled,
            @FormParam("intervalHours") Integer interval, @FormParam("keepLast") Integer last,
            @FormParam("keepDaily") Integer daily, @FormParam("keepWeekly") Integer weekly) {
        policies.update(group == null || group.isBlank() ? null : group, new BackupPolicy.Change(
                enabled != null, interval, last, daily, weekly), caller.name());
        return Response.seeOther(URI.create("/backups#policies")).build();
    }

    @RolesAllowed(Roles.OPERATOR)
    @GET
    @Path("{id: [0-9]+}/restore")
    public TemplateInstance restorePreview(@PathParam("id") long id) {
        return Templates.preview("backups", restores.preview(id));
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("{id: [0-9]+}/restore")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response restore(@PathParam("id") long id, @FormParam("confirm") String confirm) {
        RestoreView started = restores.restore(id, confirm, caller.name());
        return Response.seeOther(URI.create("/backups/restores/" + started.id())).build();
    }

    @RolesAllowed(Roles.OPERATOR)
    @GET
    @Path("{id: [0-9]+}/migrate")
    public TemplateInstance migratePreview(@PathParam("id") long id, @QueryParam("node") String node) {
        return Templates.preview("backups", restores.previewMigration(id, node));
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("{id: [0-9]+}/migrate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response migrate(@PathParam("id") long id, @FormParam("node") String node,
            @FormParam("confirm") String confirm) {
        RestoreView started = restores.migrate(id, node, confirm, caller.name());
        return Response.seeOther(URI.create("/backups/restores/" + started.id())).build();
    }

    @GET
    @Path("restores/{id: [0-9]+}")
    public TemplateInstance restoreStatus(@PathParam("id") long id) {
        return Templates.restore("backups", restores.find(id).orElseThrow(() -> new NotFoundProblem("restore", id)));
    }

    @GET
    @Path("restores/{id: [0-9]+}/live")
    public TemplateInstance restoreLive(@PathParam("id") long id) {
        return Templates.restoreLive(restores.find(id).orElseThrow(() -> new NotFoundProblem("restore", id)));
    }
}
