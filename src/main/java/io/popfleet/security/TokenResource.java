package io.popfleet.security;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.security.ForbiddenException;

import io.popfleet.api.NotFoundProblem;

/**
 * API tokens. Every user manages their own; an admin may name another user. The secret is in the creation
 * answer only.
 */
@Path("/api/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class TokenResource {

    /**
     * @param role at most the owner's role; left out, the owner's role
     * @param expiresInDays left out, the configured default (90 days)
     * @param user an admin may create a token for another user
     */
    public record NewToken(String name, String role, Integer expiresInDays, String user) {
    }

    @Inject
    TokenService tokens;

    @Inject
    Caller caller;

    @GET
    public List<TokenView> list(@QueryParam("user") String user) {
        return tokens.list(owner(user));
    }

    @POST
    public Response create(NewToken request) {
        NewToken body = request == null ? new NewToken(null, null, null, null) : request;
        TokenService.Created created = tokens.create(owner(body.user()), body.name(), body.role(),
                body.expiresInDays() == null ? null : Duration.ofDays(body.expiresInDays()), caller.name());
        return Response.created(URI.create("/api/v1/tokens/" + created.view().id())).entity(created).build();
    }

    /** Revoked at once: the next request with it is refused. */
    @DELETE
    @Path("{id}")
    public TokenView revoke(@PathParam("id") long id) {
        TokenView token = tokens.find(id).filter(t -> mayManage(t.user()))
                .orElseThrow(() -> new NotFoundProblem("token", id));
        return tokens.revoke(token.id(), caller.name());
    }

    private String owner(String requested) {
        if (requested == null || requested.isEmpty() || requested.equals(caller.name())) {
            return caller.name();
        }
        if (!caller.isAdmin()) {
            throw new ForbiddenException("only an admin manages another user's tokens");
        }
        return requested;
    }

    private boolean mayManage(String owner) {
        return owner.equals(caller.name()) || caller.isAdmin();
    }
}
