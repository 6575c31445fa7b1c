package io.popfleet.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.popfleet.api.BadRequestProblem;
import io.popfleet.api.Paging;
import io.popfleet.security.Roles;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "monitoring", description = "Fleet health, node history, leaderboard")
@RolesAllowed(Roles.VIEWER)
public class MetricsResource {

    /** A page of the leaderboard. */
    public record LeaderboardPage(List<LeaderboardRow> items, String sort, int page, int size, long total) {
    }

    @Inject
    MetricsService metrics;

    @GET
    @Path("metrics/fleet")
    @Operation(summary = "Nodes by state, reputation bands, total egress and points, version mix")
    public FleetSummary summary() {
        return metrics.summary();
    }

    @GET
    @Path("metrics/nodes/{id}")
    @Operation(summary = "A node's observations since a time (default: the last 7 days), oldest first")
    public List<MetricPoint> history(@PathParam("id") long id, @QueryParam("days") @DefaultValue("7") int days) {
        if (days < 1 || days > 400) {
            throw new BadRequestProblem("invalid-range", "days must be between 1 and 400");
        }
        return metrics.history(id, Instant.now().minus(Duration.ofDays(days)));
    }

    @GET
    @Path("leaderboard")
    @Operation(summary = "The fleet ranked by reputation, points or egress, with movement over a day and a week")
    public LeaderboardPage leaderboard(@QueryParam("sort") @DefaultValue("reputation") String sort,
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("100") int size) {
        Paging paging = new Paging(page, size);
        return new LeaderboardPage(metrics.leaderboard(sort, paging.page(), paging.size()), sort, paging.page(),
                paging.size(), metrics.rankedCount());
    }
}
