package io.popfleet.inventory;

import java.net.URI;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.popfleet.api.NotFoundProblem;
import io.popfleet.api.Page;
import io.popfleet.security.Caller;
import io.popfleet.security.Roles;

@Path("/api/v1/nodes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "nodes", description = "The fleet inventory")
@RolesAllowed(Roles.VIEWER)
public class NodeResource {

    @Inject
    NodeService nodes;

    @Inject
    Caller caller;

    @GET
    @Operation(summary = "List nodes, filtered, sorted and paged (page is 0-based, size at most 500)")
    public Page<NodeView> list(@QueryParam("group") String group, @QueryParam("tag") String tag,
            @QueryParam("q") String q, @QueryParam("enabled") Boolean enabled,
            @QueryParam("sort") @DefaultValue("name") String sort,
            @QueryParam("direction") @DefaultValue("asc") String direction,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("50") int size) {
        return nodes.list(new NodeQuery(group, tag, q, enabled, sort, "desc".equalsIgnoreCase(direction), page,
                size));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One node")
    public NodeView get(@PathParam("id") long id) {
        return nodes.get(id).orElseThrow(() -> new NotFoundProblem("node", id));
    }

    @RolesAllowed(Roles.ADMIN)
    @POST
    @Operation(summary = "Add a node")
    public Response create(@Valid @NotNull NodeInput input) {
        NodeView created = nodes.create(input, caller.name());
        return Response.created(URI.create("/api/v1/nodes/" + created.id())).entity(created).build();
    }

    @RolesAllowed(Roles.ADMIN)
    @PUT
    @Path("{id}")
    @Operation(summary = "Replace a node; send the version you read to refuse a stale write")
    public NodeView update(@PathParam("id") long id, @Valid @NotNull NodeInput input) {
        return nodes.update(id, input, caller.name());
    }

    @RolesAllowed(Roles.ADMIN)
    @DELETE
    @Path("{id}")
    @Operation(summary = "Remove a node from the inventory")
    public Response delete(@PathParam("id") long id) {
        nodes.delete(id, caller.name());
        return Response.noContent().build();
    }
}
