package io.popfleet.web;

import java.util.Map;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.popfleet.api.ApiProblem;
import io.popfleet.security.AccessAudit;
import io.popfleet.security.Caller;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.ForbiddenException;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * A caller whose role is too weak gets 403: problem details from the API, an error page for pages. Each refusal
 * is audited with who, from where and what was tried. (Anonymous callers never get here: the authentication
 * mechanism's challenge sends them to the login page or answers 401.)
 */
public class AccessProblems {

    @CheckedTemplate(basePath = "")
    static class Templates {
        static native TemplateInstance error(String nav, ApiProblem problem);
    }

    @Inject
    Caller caller;

    @Inject
    AccessAudit accessAudit;

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri, Request request) {
        String path = "/" + uri.getPath().replaceFirst("^/", "");
        accessAudit.refused(caller.name(), "access.forbidden", path, Map.of("method", request.getMethod(),
                "address", caller.address().orElse("unknown"), "role", caller.role().map(r -> r.id()).orElse("none")));
        ApiProblem problem = ApiProblem.of("forbidden", "Forbidden", 403,
                "your role (" + caller.role().map(r -> r.id()).orElse("none") + ") may not do this", null);
        if (path.startsWith("/api/") || path.startsWith("/q/")) {
            return Response.status(403).type(ApiProblem.MEDIA_TYPE).entity(problem).build();
        }
        return Response.status(403).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(Templates.error("", problem)).build();
    }
}
