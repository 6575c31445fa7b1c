package io.popfleet.security;

import jakarta.annotation.security.RolesAllowed;

import io.popfleet.api.Page;
import io.popfleet.api.Paging;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "audit", description = "Who did what, when, to which target, and how it ended")
@RolesAllowed(Roles.VIEWER)
public class AuditResource {

    /** One audit entry. */
    public record AuditEntry(long id, Instant at, String actor, String action, String target, String outcome,
            Map<String, Object> details) {
    }

    @GET
    @Operation(summary = "The audit trail, newest first, optionally for one action (e.g. node.create)")
    public Page<AuditEntry> list(@QueryParam("action") String action, @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("50") int size) {
        Paging paging = new Paging(page, size);
        String filter = action == null || action.isBlank() ? null : action;
        List<AuditEntry> items = AuditEvent.newest(filter, page, size).stream()
                .map(e -> new AuditEntry(e.id, e.at, e.actor, e.action, e.target, e.outcome, e.details))
                .toList();
        return Page.of(items, paging, AuditEvent.countFor(filter));
    }
}
