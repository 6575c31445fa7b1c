package io.popfleet.rollout;

import java.io.ByteArrayInputStream;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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

import io.popfleet.api.BadRequestProblem;
import io.popfleet.api.Page;
import io.popfleet.api.Paging;
import io.popfleet.security.Caller;
import io.popfleet.security.Roles;

/** Releases and rollouts: operators register binaries, preview, start and steer rollouts; viewers read. */
@Path("/api/v1")
@Tag(name = "rollouts", description = "Node binary releases and rolling updates")
@Produces(MediaType.APPLICATION_JSON)
public class RolloutResource {

    @Inject
    ReleaseService releases;

    @Inject
    RolloutService rollouts;

    @Inject
    StrategyStore strategies;

    @Inject
    Caller caller;

    @GET
    @Path("releases")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Registered node binary versions, newest first")
    public List<Release> releases() {
        return releases.list();
    }

    @POST
    @Path("releases")
    @RolesAllowed(Roles.OPERATOR)
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Register a node binary version: the body is the binary; its sha256 is computed and pinned")
    public Response register(@QueryParam("version") String version, byte[] body) {
        // Read whole, as inventory files are: the HTTP body limit bounds it, and a request refused for its version
        // has been read to its end, so the connection stays usable.
        if (body == null || body.length == 0) {
            throw new BadRequestProblem("empty-release", "the body must be the node binary");
        }
        return Response.status(201).entity(releases.register(version, new ByteArrayInputStream(body), caller.name()))
                .build();
    }

    @POST
    @Path("releases/fetch")
    @RolesAllowed(Roles.OPERATOR)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a node binary version from a URL the controller fetches; its sha256 is computed"
            + " and pinned (and must equal the given sha256, if any)")
    public Response fetch(ReleaseFetchRequest request) {
        if (request == null) {
            throw new BadRequestProblem("invalid-request", "the body must be {\"version\", \"url\", \"sha256\"}");
        }
        return Response.status(201).entity(releases.registerFrom(request.version(), request.url(), request.sha256(),
                caller.name())).build();
    }

    @POST
    @Path("rollouts/preview")
    @RolesAllowed(Roles.OPERATOR)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Which node goes in which batch, which are skipped and why, and how long it should take")
    public RolloutPreview preview(RolloutRequest request) {
        return rollouts.preview(required(request));
    }

    @POST
    @Path("rollouts")
    @RolesAllowed(Roles.OPERATOR)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start a rollout exactly as its preview shows it")
    public Response start(RolloutRequest request) {
        return Response.status(201).entity(rollouts.start(required(request), caller.name())).build();
    }

    @GET
    @Path("rollouts")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Rollouts, newest first; only those in ?state= and for ?version= where given")
    public Page<RolloutView> list(@QueryParam("page") Integer page, @QueryParam("size") Integer size,
            @QueryParam("state") String state, @QueryParam("version") String version) {
        String onlyState = state == null || state.isBlank() ? null : state.strip();
        if (onlyState != null && java.util.Arrays.stream(RolloutState.values())
                .noneMatch(known -> known.dbValue().equals(onlyState))) {
            throw new BadRequestProblem("invalid-state", "state is one of running, paused, awaiting_promotion,"
                    + " finished, failed, aborted, not \"" + state + "\"");
        }
        return rollouts.list(Paging.of(page, size), onlyState, version == null || version.isBlank() ? null
                : version.strip());
    }

    @GET
    @Path("rollouts/{id: [0-9]+}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "One rollout: state, batch, budget used, nodes per step")
    public RolloutView get(@PathParam("id") long id) {
        return rollouts.get(id);
    }

    @GET
    @Path("rollouts/{id: [0-9]+}/nodes")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Every node of a rollout with its batch, step and failure")
    public List<RolloutNodeView> nodes(@PathParam("id") long id) {
        return rollouts.nodes(id);
    }

    @POST
    @Path("rollouts/{id: [0-9]+}/pause")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Start no new node; nodes updating finish")
    public RolloutView pause(@PathParam("id") long id) {
        return rollouts.pause(id, caller.name());
    }

    @POST
    @Path("rollouts/{id: [0-9]+}/resume")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Go on after a pause")
    public RolloutView resume(@PathParam("id") long id) {
        return rollouts.resume(id, caller.name());
    }

    @POST
    @Path("rollouts/{id: [0-9]+}/promote")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Go on after a healthy canary (strategies with promoteAfterCanary)")
    public RolloutView promote(@PathParam("id") long id) {
        return rollouts.promote(id, caller.name());
    }

    @POST
    @Path("rollouts/{id: [0-9]+}/abort")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Stop for good: no new node starts, nodes updating finish (and revert if they fail)")
    public RolloutView abort(@PathParam("id") long id) {
        return rollouts.abort(id, caller.name());
    }

    @POST
    @Path("rollouts/{id: [0-9]+}/rollback")
    @RolesAllowed(Roles.OPERATOR)
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Roll back the updated nodes: a new rollout, same strategy, putting the nodes this ended"
            + " rollout updated back on their previous version (which must be a registered release)")
    public Response rollBack(@PathParam("id") long id) {
        RolloutView back = rollouts.rollBack(id, caller.name());
        return Response.status(201).entity(back).build();
    }

    @GET
    @Path("rollouts/strategies")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Stored, reusable strategies, by name, each with the group it is the default of")
    public List<StoredStrategy> strategies() {
        return strategies.list();
    }

    @GET
    @Path("rollouts/strategies/{name}")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "One stored strategy")
    public StoredStrategy strategy(@PathParam("name") String name) {
        return strategies.get(name);
    }

    @POST
    @Path("rollouts/strategies")
    @RolesAllowed(Roles.OPERATOR)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Store a strategy under a name (optionally a group's default); every wrong field is named"
            + " in one 400")
    public Response createStrategy(StoredStrategy.Input input) {
        return Response.status(201).entity(strategies.create(input, caller.name())).build();
    }

    @PUT
    @Path("rollouts/strategies/{name}")
    @RolesAllowed(Roles.OPERATOR)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace a stored strategy whole (fields, description, group binding)")
    public StoredStrategy updateStrategy(@PathParam("name") String name, StoredStrategy.Input input) {
        return strategies.update(name, input, caller.name());
    }

    @DELETE
    @Path("rollouts/strategies/{name}")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Delete a stored strategy (rollouts started with it keep their own copy)")
    public Response deleteStrategy(@PathParam("name") String name) {
        strategies.delete(name, caller.name());
        return Response.noContent().build();
    }

    @GET
    @Path("fleet/versions")
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Who runs what: enabled nodes by the binary version they last reported, and how many are"
            + " behind the target (the newest registered release unless ?target= names one)")
    public FleetVersions versions(@QueryParam("target") String target) {
        return rollouts.versions(target == null || target.isBlank() ? null : target.strip());
    }

    private static RolloutRequest required(RolloutRequest request) {
        if (request == null) {
            throw new BadRequestProblem("invalid-request", "the body must be a rollout request (version, selection,"
                    + " strategy)");
        }
        return request;
    }
}
