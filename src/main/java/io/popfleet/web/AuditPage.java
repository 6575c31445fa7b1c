package io.popfleet.web;

import jakarta.annotation.security.RolesAllowed;
import io.popfleet.security.Roles;

import java.util.List;

import io.popfleet.security.AuditEvent;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** The audit trail, newest first. */
@Path("/audit")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VIEWER)
public class AuditPage {

    private static final int SIZE = 100;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance audit(String nav, List<AuditEvent> events, int page, boolean more);
    }

    @GET
    public TemplateInstance audit(@QueryParam("page") @DefaultValue("0") int page) {
        int safePage = Math.max(0, page);
        List<AuditEvent> events = AuditEvent.newest(null, safePage, SIZE + 1);
        boolean more = events.size() > SIZE;
        return Templates.audit("audit", more ? events.subList(0, SIZE) : events, safePage, more);
    }
}
