package io.popfleet.inventory;

import java.net.URI;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.popfleet.security.Caller;
import io.popfleet.security.Roles;

@Path("/api/v1/groups")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "groups", description = "Node groups")
@RolesAllowed(Roles.VIEWER)
public class GroupResource {

    /** A new group. */
    public record GroupInput(@NotBlank String name, String description) {
    }

    @Inject
    GroupService groups;

    @Inject
    Caller caller;

    @GET
    @Operation(summary = "Every group with its node count")
    public List<GroupView> list() {
        return groups.list();
    }

    @RolesAllowed(Roles.ADMIN)
    @POST
    @Operation(summary = "Create an empty group")
    public Response create(@NotNull @jakarta.validation.Valid GroupInput input) {
        GroupView created = groups.create(input.name(), input.description(), caller.name());
        return Response.created(URI.create("/api/v1/groups/" + created.id())).entity(created).build();
    }

    @RolesAllowed(Roles.ADMIN)
    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a group; its nodes stay in the inventory")
    public Response delete(@PathParam("id") long id) {
        groups.delete(id, caller.name());
        return Response.noContent().build();
    }
}
