package io.popfleet.security;

import java.net.URI;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.popfleet.api.NotFoundProblem;
import io.popfleet.api.Page;
import io.popfleet.api.Paging;

/** Users, for admins: list, create, change role, disable or enable, reset password. */
@Path("/api/v1/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class UserResource {

    /** {@code password} may be left out: the controller then makes one up and answers it once. */
    public record NewUser(String username, String password, String role) {
    }

    public record RoleChange(String role) {
    }

    public record PasswordReset(String password) {
    }

    @Inject
    UserService users;

    @Inject
    Caller caller;

    @GET
    public Page<UserView> list(@QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        Paging paging = Paging.of(page, size);
        var all = users.list();
        int from = (int) Math.min(all.size(), paging.offset());
        return Page.of(all.subList(from, Math.min(all.size(), from + paging.size())), paging, all.size());
    }

    @GET
    @Path("{username}")
    public UserView get(@PathParam("username") String username) {
        return users.find(username).orElseThrow(() -> new NotFoundProblem("user", username));
    }

    @POST
    public Response create(NewUser request) {
        NewUser body = request == null ? new NewUser(null, null, null) : request;
        UserService.WithPassword created = users.create(body.username(), body.password(), body.role(), caller.name());
        return Response.created(URI.create("/api/v1/users/" + created.user().username())).entity(created).build();
    }

    @POST
    @Path("{username}/role")
    public UserView changeRole(@PathParam("username") String username, RoleChange request) {
        return users.changeRole(username, request == null ? null : request.role(), caller.name());
    }

    @POST
    @Path("{username}/disable")
    public UserView disable(@PathParam("username") String username) {
        return users.setDisabled(username, true, caller.name());
    }

    @POST
    @Path("{username}/enable")
    public UserView enable(@PathParam("username") String username) {
        return users.setDisabled(username, false, caller.name());
    }

    @POST
    @Path("{username}/password")
    public UserService.WithPassword resetPassword(@PathParam("username") String username, PasswordReset request) {
        return users.resetPassword(username, request == null ? null : request.password(), caller.name());
    }
}
