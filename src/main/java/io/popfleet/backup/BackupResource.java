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

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("{id}/restore")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Put this backup back on its node: upload, then a run of pop restore (its own checks)")
    public Response restore(@PathParam("id") long id) {
        Run run = restore.restore(id, caller.name());
        return Response.created(URI.create("/api/v1/runs/" + run.id)).entity(Map.of("run", run.id)).build();
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
