package io.popfleet.web;

import java.net.URI;
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

import io.popfleet.security.Caller;
import io.popfleet.security.Roles;
import io.popfleet.security.UserService;
import io.popfleet.security.UserView;

/** Users, for admins. A password the controller makes up is shown on the answer page once. */
@Path("/users")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.ADMIN)
public class UsersPage {

    /** A password to hand over: shown in this answer only. */
    public record Handover(String username, String password) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance users(String nav, List<UserView> users, Handover handover);
    }

    @Inject
    UserService users;

    @Inject
    Caller caller;

    @GET
    public TemplateInstance page() {
        return Templates.users("users", users.list(), null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance create(@RestForm String username, @RestForm String role, @RestForm String password) {
        UserService.WithPassword created = users.create(username, password, role, caller.name());
        return Templates.users("users", users.list(), handover(created));
    }

    @POST
    @Path("{username}/role")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response role(@RestPath String username, @RestForm String role) {
        users.changeRole(username, role, caller.name());
        return back();
    }

    @POST
    @Path("{username}/disable")
    public Response disable(@RestPath String username) {
        users.setDisabled(username, true, caller.name());
        return back();
    }

    @POST
    @Path("{username}/enable")
    public Response enable(@RestPath String username) {
        users.setDisabled(username, false, caller.name());
        return back();
    }

    @POST
    @Path("{username}/password")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance resetPassword(@RestPath String username, @RestForm String password) {
        UserService.WithPassword reset = users.resetPassword(username, password, caller.name());
        return Templates.users("users", users.list(), handover(reset));
    }

    private static Handover handover(UserService.WithPassword result) {
        return result.password() == null ? null : new Handover(result.user().username(), result.password());
    }

    private static Response back() {
        return Response.seeOther(URI.create("/users")).build();
    }
}
