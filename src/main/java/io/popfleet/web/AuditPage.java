package io.popfleet.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

import io.popfleet.api.Page;
import io.popfleet.api.Paging;
import io.popfleet.security.AuditEvent;
import io.popfleet.security.AuditQuery;
import io.popfleet.security.Roles;

/** The audit trail, newest first, with its filters. */
@Path("/audit")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VIEWER)
public class AuditPage {

    private static final int SIZE = 100;

    /** What the filter form shows: the values as typed, and the query string that keeps them (URL-encoded). */
    public record Filters(String actor, String action, String outcome, String node, String from, String to,
            String query) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance audit(String nav, Page<AuditEvent> events, Filters filters);
    }

    @GET
    @Transactional(Transactional.TxType.SUPPORTS)
    public TemplateInstance audit(@QueryParam("actor") String actor, @QueryParam("action") String action,
            @QueryParam("outcome") String outcome, @QueryParam("node") String node, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("page") Integer page) {
        Paging paging = Paging.of(page, SIZE, SIZE);
        AuditQuery query = AuditQuery.of(actor, action, outcome, node, from, to);
        Page<AuditEvent> events = Page.of(AuditEvent.search(query, paging), paging, AuditEvent.countMatching(query));
        String kept = query.parameters().stream()
                .map(p -> p.getKey() + "=" + URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return Templates.audit("audit", events, new Filters(orEmpty(actor), orEmpty(action), orEmpty(outcome),
                orEmpty(node), orEmpty(from), orEmpty(to), kept));
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }

}
