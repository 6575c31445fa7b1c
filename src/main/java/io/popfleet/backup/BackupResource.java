package io.popfleet.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.popfleet.api.NotFoundProblem;
import io.popfleet.api.Paging;
import io.popfleet.runs.NodeSelection;
import io.popfleet.runs.Run;
import io.popfleet.security.AuditLog;
import io.popfleet.security.Caller;
import io.popfleet.security.Roles;

@Path("/api/v1/backups")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "backups", description = "Node identity backups pulled into the controller's encrypted store")
@RolesAllowed(Roles.VIEWER)
public class BackupResource {

    /** Which nodes to back up now: all enabled ones unless narrowed (as a run's selection). */
    public record BackupRequest(List<String> groups, List<String> tags, String q, List<String> nodes) {
    }

    @Inject
    BackupService backups;

    @Inject
    BackupKeys keys;

    @Inject
    BackupVerifier verifier;

    @Inject
    BackupRetention retention;

    @Inject
    AuditLog audit;

    @Inject
    BackupRestore restore;

    @Inject
    Caller caller;

    @Inject
    BackupPolicies policies;

    @GET
    @Operation(summary = "Stored backups, newest first; of one node with ?node=ID")
    public List<StoredArchive> list(@QueryParam("node") Long node, @QueryParam("size") @DefaultValue("100") int size) {
        return backups.list(Optional.ofNullable(node), new Paging(0, size).size());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One stored backup's metadata (never its contents)")
    public StoredArchive get(@PathParam("id") long id) {
        return backups.find(id).orElseThrow(() -> new NotFoundProblem("backup", id));
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("runs")
    @Operation(summary = "Back up the selected nodes now: a run of pop backup, each archive then pulled and stored")
    public Response backupNow(BackupRequest request) {
        NodeSelection selection = request == null ? NodeSelection.all()
                : new NodeSelection(request.groups(), request.tags(), request.q(), request.nodes(), false);
        Run run = backups.backupNow(selection, caller.name());
        return Response.created(URI.create("/api/v1/runs/" + run.id)).entity(Map.of("run", run.id)).build();
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("verify")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Re-hash every stored backup now; failures open backup_corrupt alerts")
    public BackupVerifier.Report verify() {
        return verifier.verifyAll(caller.name());
    }

    @RolesAllowed(Roles.ADMIN)
    @POST
    @Path("key-rotation")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "New key-encryption key; every archive's data key re-wrapped, no archive re-read")
    public Map<String, Object> rotate() {
        int rewrapped = keys.rotate(caller.name());
        return Map.of("key", keys.activeId(), "rewrapped", rewrapped);
    }

    @GET
    @Path("nodes")
    @Operation(summary = "Every node's backups in the store: newest verified copy, age, size, key, last verify;"
            + " ?stale=true for the stale ones only")
    public List<NodeBackups> nodes(@QueryParam("stale") @DefaultValue("false") boolean stale) {
        return backups.nodes(stale);
    }

    @GET
    @Path("policies")
    @Operation(summary = "Backup schedule and retention: the default (nodes in no group, group null), then per group")
    public List<BackupPolicy> policies() {
        return policies.list();
    }

    @RolesAllowed(Roles.OPERATOR)
    @PUT
    @Path("policies/default")
    @Operation(summary = "Set the policy of the nodes in no group (audited backup.policy)")
    public BackupPolicy setDefaultPolicy(BackupPolicy.Change change) {
        return policies.update(null, change, caller.name());
    }

    @RolesAllowed(Roles.OPERATOR)
    @PUT
    @Path("policies/groups/{group}")
    @Operation(summary = "Set a group's backup schedule and retention (audited backup.policy)")
    public BackupPolicy setGroupPolicy(@PathParam("group") String group, BackupPolicy.Change change) {
        return policies.update(group, change, caller.name());
    }

    @RolesAllowed(Roles.OPERATOR)
    @GET
    @Path("{id}/restore-preview")
    @Operation(summary = "What restoring this backup onto its node would replace, the node's identity now beside"
            + " the backup's, and the confirm value to send back; changes nothing")
    public RestorePreview restorePreview(@PathParam("id") long id) {
        return restore.preview(id);
    }

    /** A confirmed restore: {@code confirm} from the preview. */
    public record RestoreRequest(String confirm) {
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("{id}/restore")
    @Operation(summary = "Put this backup back on its node (upload, pop restore, then identity and health checks);"
            + " needs the preview's confirm value; answers 202 with the restore to follow")
    public Response restore(@PathParam("id") long id, RestoreRequest request) {
        RestoreView started = restore.restore(id, request == null ? null : request.confirm(), caller.name());
        return Response.accepted(started).location(URI.create("/api/v1/backups/restores/" + started.id())).build();
    }

    /**
     * A migration's new host: an inventory node (added first, its host key pinned as every node's is), and for the
     * confirmed call the preview's {@code confirm}.
     */
    public record MigrateRequest(String node, String confirm) {
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("{id}/migrate-preview")
    @Operation(summary = "What moving this backup's identity to a new host would do (both IPs, warnings) and the"
            + " confirm value; changes nothing")
    public RestorePreview migratePreview(@PathParam("id") long id, MigrateRequest request) {
        return restore.previewMigration(id, request == null ? null : request.node());
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("{id}/migrate")
    @Operation(summary = "Move this backup's identity to a new host (an inventory node): old node stopped, pop"
            + " restore --migrate and start there, the inventory updated (old disabled), then checks; answers 202")
    public Response migrate(@PathParam("id") long id, MigrateRequest request) {
        if (request == null) {
            throw new io.popfleet.api.BadRequestProblem("invalid-new-host", "a migration needs the new host");
        }
        RestoreView started = restore.migrate(id, request.node(), request.confirm(), caller.name());
        return Response.accepted(started).location(URI.create("/api/v1/backups/restores/" + started.id())).build();
    }

    @GET
    @Path("restores")
    @Operation(summary = "Restores and migrations, newest first; of one node with ?node=ID")
    public List<RestoreView> restores(@QueryParam("node") Long node,
            @QueryParam("size") @DefaultValue("50") int size) {
        return restore.list(Optional.ofNullable(node), new Paging(0, size).size());
    }

    @GET
    @Path("restores/{rid}")
    @Operation(summary = "One restore or migration: its step, state and checks")
    public RestoreView restoreStatus(@PathParam("rid") long rid) {
        return restore.find(rid).orElseThrow(() -> new NotFoundProblem("restore", rid));
    }

    @RolesAllowed(Roles.ADMIN)
    @DELETE
    @Path("{id}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Delete one stored backup; the last good one of a node is refused (409)")
    public Response delete(@PathParam("id") long id) {
        retention.delete(id, caller.name());
        return Response.noContent().build();
    }

    @RolesAllowed(Roles.ADMIN)
    @GET
    @Path("{id}/archive")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "Download a backup's archive, decrypted (admin only, audited): it holds the node's identity")
    public Response download(@PathParam("id") long id) {
        StoredArchive archive = backups.find(id).orElseThrow(() -> new NotFoundProblem("backup", id));
        InputStream plain;
        try {
            plain = backups.open(id);
        } catch (BackupStore.Unavailable e) {
            throw new StoreUnavailableProblem(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        audit.recordAlone(caller.name(), "backup.download", archive.archiveName(), AuditLog.OK,
                Map.of("node", String.valueOf(archive.nodeName()), "sha256", archive.sha256()));
        StreamingOutput body = out -> {
            try (plain) {
                plain.transferTo(out);
            }
        };
        return Response.ok(body).header("Content-Disposition", "attachment; filename=\"" + archive.archiveName()
                + "\"").build();
    }
}
