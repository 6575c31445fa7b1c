package io.popfleet.web;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

import io.popfleet.api.NotFoundProblem;
import io.popfleet.security.Caller;
import io.popfleet.security.Roles;
import io.popfleet.security.TokenService;
import io.popfleet.security.TokenView;

/** The caller's own API tokens: create (the secret is shown once, on the answer page), list, revoke. */
@Path("/account")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VIEWER)
public class AccountPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance account(String nav, String user, List<TokenView> tokens, String secret);
    }

    @Inject
    TokenService tokens;

    @Inject
    Caller caller;

    @GET
    public TemplateInstance page() {
        return Templates.account("account", caller.name(), tokens.list(caller.name()), null);
    }

    @POST
    @Path("tokens")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance create(@RestForm String name, @RestForm String role, @RestForm Integer days) {
        TokenService.Created created = tokens.create(caller.name(), name, role,
                days == null ? null : Duration.ofDays(days), caller.name());
        return Templates.account("account", caller.name(), tokens.list(caller.name()), created.token());
    }

    @POST
    @Path("tokens/{id}/revoke")
    public Response revoke(@RestPath long id) {
        TokenView token = tokens.find(id).filter(t -> t.user().equals(caller.name()))
                .orElseThrow(() -> new NotFoundProblem("token", id));
        tokens.revoke(token.id(), caller.name());
        return Response.seeOther(URI.create("/account")).build();
    }
}
