package io.popfleet.web;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

import io.popfleet.api.Paging;
import io.popfleet.metrics.LeaderboardRow;
import io.popfleet.metrics.MetricsService;
import io.popfleet.security.Roles;

/**
 * The fleet ranked by reputation, points or egress. Pipe publishes no leaderboard, so this is our own ranking
 * over the fleet's own observations, with each node's reputation components so a fall can be explained; where
 * nodes have an external ranking source, their position in it too.
 */
@Path("/leaderboard")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VIEWER)
public class LeaderboardPage {

    private static final int SIZE = 100;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance leaderboard(String nav, String sort, List<LeaderboardRow> rows, int page,
                long total, boolean more, long externallyRanked);
    }

    @Inject
    MetricsService metrics;

    @GET
    public TemplateInstance leaderboard(@QueryParam("sort") @DefaultValue("reputation") String sort,
            @QueryParam("page") @DefaultValue("0") int page) {
        // Paging refuses a page beyond any list (page * size past an int) as 400, instead of an overflowed offset.
        int safePage = new Paging(Math.max(0, page), SIZE).page();
        List<LeaderboardRow> rows = metrics.leaderboard(sort, safePage, SIZE);
        long total = metrics.rankedCount();
        return Templates.leaderboard("leaderboard", sort, rows, safePage, total, (long) (safePage + 1) * SIZE < total,
                metrics.externallyRanked());
    }
}
