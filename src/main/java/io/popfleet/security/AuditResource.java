package io.popfleet.security;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.popfleet.api.BadRequestProblem;
import io.popfleet.api.Page;
import io.popfleet.api.Paging;

@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "audit", description = "Who did what, from where, when, to which nodes, and how it ended")
@RolesAllowed(Roles.VIEWER)
public class AuditResource {

    /** Rows one export carries at most; narrow the filters (a time range) for more. */
    public static final int MAX_EXPORT = 100_000;

    /** One audit entry. */
    public record AuditEntry(long id, Instant at, String actor, String source, String action, String target,
            List<String> nodes, String outcome, Map<String, Object> details) {

        static AuditEntry of(AuditEvent e) {
            return new AuditEntry(e.id, e.at, e.actor, e.source, e.action, e.target, e.nodeList(), e.outcome,
                    e.details);
        }
    }

    @GET
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "The audit trail, newest first, filtered by actor, action, outcome, node and time range"
            + " (from inclusive, to exclusive; ISO-8601)")
    public Page<AuditEntry> list(@QueryParam("actor") String actor, @QueryParam("action") String action,
            @QueryParam("outcome") String outcome, @QueryParam("node") String node, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        Paging paging = Paging.of(page, size);
        AuditQuery query = AuditQuery.of(actor, action, outcome, node, from, to);
        List<AuditEntry> items = AuditEvent.search(query, paging).stream().map(AuditEntry::of).toList();
        return Page.of(items, paging, AuditEvent.countMatching(query));
    }

    @GET
    @Path("export")
    @Produces({ "text/csv", MediaType.APPLICATION_JSON })
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "The filtered audit trail as a file, newest first: format=csv (spreadsheet-safe) or json")
    public Response export(@QueryParam("format") String format, @QueryParam("actor") String actor,
            @QueryParam("action") String action, @QueryParam("outcome") String outcome,
            @QueryParam("node") String node, @QueryParam("from") String from, @QueryParam("to") String to) {
        String chosen = format == null || format.isBlank() ? "csv" : format.strip().toLowerCase(java.util.Locale.ROOT);
        if (!chosen.equals("csv") && !chosen.equals("json")) {
            throw new BadRequestProblem("invalid-format", "format must be csv or json");
        }
        AuditQuery query = AuditQuery.of(actor, action, outcome, node, from, to);
        if (AuditEvent.countMatching(query) > MAX_EXPORT) {
            throw new BadRequestProblem("export-too-large", "more than " + MAX_EXPORT
                    + " events match; narrow the time range");
        }
        List<AuditEntry> entries = AuditEvent.searchAll(query, MAX_EXPORT).stream().map(AuditEntry::of).toList();
        if (chosen.equals("json")) {
            return Response.ok(entries, MediaType.APPLICATION_JSON_TYPE)
                    .header("Content-Disposition", "attachment; filename=\"audit.json\"").build();
        }
        return Response.ok(AuditCsv.write(entries), "text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"audit.csv\"").build();
    }
}
