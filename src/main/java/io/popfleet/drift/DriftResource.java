package io.popfleet.drift;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.popfleet.api.BadRequestProblem;
import io.popfleet.security.Roles;

@Path("/api/v1/drift")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "monitoring", description = "Fleet health, node history, leaderboard, drift")
@RolesAllowed(Roles.VIEWER)
public class DriftResource {

    static final int MAX_LIMIT = 10_000;

    @Inject
    DriftService drift;

    @GET
    @Operation(summary = "Nodes whose wallet, version or ports 80/443 disagree, each with the command that mends it")
    public DriftReport report(@QueryParam("kind") String kind, @QueryParam("limit") @DefaultValue("500") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadRequestProblem("invalid-paging", "limit must be between 1 and " + MAX_LIMIT);
        }
        return drift.report(DriftKind.fromQuery(kind), limit);
    }
}
