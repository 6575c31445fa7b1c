package io.popfleet.web;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

import io.popfleet.api.Paging;
import io.popfleet.rollout.FleetVersions;
import io.popfleet.rollout.RolloutNodeView;
import io.popfleet.rollout.RolloutService;
import io.popfleet.rollout.RolloutState;
import io.popfleet.rollout.RolloutView;
import io.popfleet.security.Caller;
import io.popfleet.security.Roles;

/**
 * Rollouts: the list, and one rollout live, its batches as rows and its nodes as cells coloured by step (re-read
 * every two seconds through htmx), with the controls its state allows.
 */
@Path("/rollouts")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VIEWER)
public class RolloutsPage {

    /** One batch row: the canary is batch 0 when the strategy has one; skipped nodes have no batch. */
    public record BatchRow(Integer index, List<RolloutNodeView> nodes) {
    }

    private static final List<String> STATES = Arrays.stream(RolloutState.values()).map(RolloutState::dbValue)
            .toList();

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance rollouts(String nav, List<RolloutView> rollouts, int page, Integer older,
                String state, String version, List<String> states, FleetVersions fleet, String filters);

        static native TemplateInstance rollout(String nav, RolloutView rollout, List<BatchRow> batches);

        static native TemplateInstance live(RolloutView rollout, List<BatchRow> batches);
    }

    @Inject
    RolloutService rollouts;

    @Inject
    Caller caller;

    /**
     * The history, newest first, filtered by state and version where asked (an unknown state is ignored, not an
     * error), with the fleet's versions above it: who runs what, and how many nodes are behind the newest release.
     */
    @GET
    public TemplateInstance list(@QueryParam("page") Integer page, @QueryParam("state") String state,
            @QueryParam("version") String version) {
        String onlyState = STATES.contains(state) ? state : null;
        String onlyVersion = version == null || version.isBlank() ? null : version.strip();
        var found = rollouts.list(Paging.of(page, 50), onlyState, onlyVersion);
        boolean more = (long) (found.page() + 1) * found.size() < found.total();
        StringBuilder filters = new StringBuilder();
        if (onlyState != null) {
            filters.append("&state=").append(onlyState);
        }
        if (onlyVersion != null) {
            filters.append("&version=").append(URLEncoder.encode(onlyVersion, StandardCharsets.UTF_8));
        }
        return Templates.rollouts("rollouts", found.items(), found.page(), more ? found.page() + 1 : null,
                onlyState == null ? "" : onlyState, onlyVersion == null ? "" : onlyVersion, STATES,
                rollouts.versions(null), filters.toString());
    }

    @GET
    @Path("{id: [0-9]+}")
    public TemplateInstance rollout(@PathParam("id") long id) {
        return Templates.rollout("rollouts", rollouts.get(id), batches(id));
    }

    @GET
    @Path("{id: [0-9]+}/live")
    public TemplateInstance live(@PathParam("id") long id) {
        return Templates.live(rollouts.get(id), batches(id));
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("{id: [0-9]+}/pause")
    @Consumes({ MediaType.APPLICATION_FORM_URLENCODED, MediaType.WILDCARD })
    public Response pause(@PathParam("id") long id) {
        rollouts.pause(id, caller.name());
        return back(id);
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("{id: [0-9]+}/resume")
    @Consumes({ MediaType.APPLICATION_FORM_URLENCODED, MediaType.WILDCARD })
    public Response resume(@PathParam("id") long id) {
        rollouts.resume(id, caller.name());
        return back(id);
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("{id: [0-9]+}/promote")
    @Consumes({ MediaType.APPLICATION_FORM_URLENCODED, MediaType.WILDCARD })
    public Response promote(@PathParam("id") long id) {
        rollouts.promote(id, caller.name());
        return back(id);
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("{id: [0-9]+}/abort")
    @Consumes({ MediaType.APPLICATION_FORM_URLENCODED, MediaType.WILDCARD })
    public Response abort(@PathParam("id") long id) {
        rollouts.abort(id, caller.name());
        return back(id);
    }

    /** "Roll back the updated nodes" of an ended rollout: a new rollout, whose page opens. */
    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("{id: [0-9]+}/rollback")
    @Consumes({ MediaType.APPLICATION_FORM_URLENCODED, MediaType.WILDCARD })
    public Response rollBack(@PathParam("id") long id) {
        return back(rollouts.rollBack(id, caller.name()).id());
    }

    private static Response back(long id) {
        return Response.seeOther(URI.create("/rollouts/" + id)).build();
    }

    private List<BatchRow> batches(long id) {
        Map<Integer, List<RolloutNodeView>> byBatch = new TreeMap<>();
        List<RolloutNodeView> skipped = new ArrayList<>();
        for (RolloutNodeView node : rollouts.nodes(id)) {
            if (node.batch() == null) {
                skipped.add(node);
            } else {
                byBatch.computeIfAbsent(node.batch(), key -> new ArrayList<>()).add(node);
            }
        }
        List<BatchRow> rows = new ArrayList<>();
        byBatch.forEach((index, nodes) -> rows.add(new BatchRow(index, nodes)));
        if (!skipped.isEmpty()) {
            rows.add(new BatchRow(null, skipped));
        }
        return rows;
    }
}
