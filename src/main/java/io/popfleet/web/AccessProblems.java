package io.popfleet.web;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;

import io.popfleet.api.ApiProblem;
import io.popfleet.security.AccessAudit;
import io.popfleet.security.Caller;
import io.popfleet.security.LocalPaths;
import io.popfleet.security.PopFleetAuthMechanism;

/**
 * A caller whose role is too weak gets 403: problem details from the API, an error page for pages. Each refusal
 * is audited with who, from where and what was tried. (Anonymous callers never get here: the authentication
 * mechanism's challenge sends them to the login page or answers 401.)
 */
public class AccessProblems {

    /** The shared error page (ProblemMappers declares it as its checked template; one declaration per path). */
    @Inject
    @Location("error")
    Template error;

    @Inject
    Caller caller;

    @Inject
    AccessAudit accessAudit;

    /** An anonymous caller on a page goes to the login form; on the API, gets a 401 problem. */
    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e, HttpServerRequest request) {
        if (PopFleetAuthMechanism.wantsPage(request)) {
            if (request.getHeader("HX-Request") != null) {
                // htmx would swap the login form into a fragment: have it load the whole login page instead.
                return Response.status(401).header("HX-Redirect", PopFleetAuthMechanism.loginUrl(
                        LocalPaths.pathOf(String.valueOf(request.getHeader("HX-Current-URL"))))).build();
            }
            return Response.status(302).header("Location", PopFleetAuthMechanism.loginUrl(request.uri())).build();
        }
        return Response.status(401).header("WWW-Authenticate", "Bearer realm=\"popfleet\"")
                .type(ApiProblem.MEDIA_TYPE).entity(PopFleetAuthMechanism.UNAUTHENTICATED).build();
    }

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
                .entity(error.data("nav", "").data("problem", problem)).build();
    }
}
