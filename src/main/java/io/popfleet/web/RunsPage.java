package io.popfleet.web;

import java.net.URI;
import java.util.Arrays;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.FormParam;
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

import io.popfleet.api.ApiProblem;
import io.popfleet.api.ConflictProblem;
import io.popfleet.api.NotFoundProblem;
import io.popfleet.api.Paging;
import io.popfleet.ops.Operation;
import io.popfleet.ops.OperationCatalog;
import io.popfleet.runs.Run;
import io.popfleet.runs.RunFilter;
import io.popfleet.runs.RunPlanner;
import io.popfleet.runs.RunService;
import io.popfleet.runs.RunState;
import io.popfleet.runs.RunView;
import io.popfleet.runs.TargetState;
import io.popfleet.runs.TargetView;
import io.popfleet.security.Caller;
import io.popfleet.security.Roles;

/**
 * The runs: a paged list, and one run with its nodes. The run page renders what the database holds now; its
 * script then follows the run's event stream, so the page never needs a reload.
 */
@Path("/runs")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VIEWER)
public class RunsPage {

    static final int RUNS_PER_PAGE = 50;
    static final int TARGETS_PER_PAGE = 200;
    static final List<String> STATES = TargetState.dbValues();

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance runs(String nav, List<RunView> runs, int page, boolean more,
                RunsFilter filter);

        static native TemplateInstance run(String nav, RunView run, TargetTable table);

        static native TemplateInstance targets(RunView run, TargetTable table);

        static native TemplateInstance confirmRetry(String nav, RunView run, List<ApiProblem.FieldError> asks);
    }

    /**
     * The list's filter as the page shows it: who started the runs and which operation, with the choices and the
     * query string that keeps them while paging.
     */
    public record RunsFilter(String who, String operation, List<String> starters, List<String> operations) {

        public String query(int toPage) {
            StringBuilder query = new StringBuilder("?page=").append(toPage);
            if (!who.isEmpty()) {
                query.append("&who=").append(java.net.URLEncoder.encode(who, java.nio.charset.StandardCharsets.UTF_8));
            }
            if (!operation.isEmpty()) {
                query.append("&operation=")
                        .append(java.net.URLEncoder.encode(operation, java.nio.charset.StandardCharsets.UTF_8));
            }
            return query.toString();
        }

        public boolean narrowed() {
            return !who.isEmpty() || !operation.isEmpty();
        }
    }

    /** One page of a run's targets, optionally only those in one state. */
    public record TargetTable(List<TargetView> items, String state, int page, long total, List<String> states) {

        public boolean more() {
            return (long) (page + 1) * TARGETS_PER_PAGE < total;
        }

        public String link(int toPage) {
            return "?" + (state == null ? "" : "state=" + state + "&") + "page=" + toPage;
        }

        public String filter(String to) {
            return to == null || to.isEmpty() ? "?" : "?state=" + to;
        }

        /** The target states for the page's script, space-separated, so the script keeps no list of its own. */
        public String stateWords() {
            return String.join(" ", states);
        }

        /** The target states a run still waits on; the script counts every other state as done. */
        public String pendingWords() {
            return String.join(" ", Arrays.stream(TargetState.values()).filter(TargetState::isPending)
                    .map(TargetState::dbValue).toList());
        }

        /** The states that fill the progress bar, one part each. */
        public List<String> doneStates() {
            return Arrays.stream(TargetState.values()).filter(state -> !state.isPending())
                    .map(TargetState::dbValue).toList();
        }

        public String runStateWords() {
            return String.join(" ", RunState.dbValues());
        }
    }

    @Inject
    RunService runs;

    @Inject
    RunPlanner planner;

    @Inject
    Caller caller;

    @Inject
    OperationCatalog catalog;

    /**
     * The runs people started, newest first, unless the filter asks for the monitor's polls or everyone's.
     *
     * @param who empty for people's runs, {@code *} for every run, {@code polls} for the monitor's, or a name
     */
    @GET
    public TemplateInstance list(@QueryParam("page") @DefaultValue("0") int page, @QueryParam("who") String who,
            @QueryParam("operation") String operation) {
        // Paging refuses a page beyond any list (page * size past an int) as 400, instead of an overflowed offset.
        int safePage = new Paging(Math.max(page, 0), RUNS_PER_PAGE).page();
        RunFilter filter = new RunFilter(who, operation);
        boolean more = runs.count(filter) > (long) (safePage + 1) * RUNS_PER_PAGE;
        RunsFilter shown = new RunsFilter(filter.who(), filter.operation() == null ? "" : filter.operation(),
                runs.starters(), catalog.all().stream().map(Operation::command).toList());
        return Templates.runs("runs", runs.list(filter, safePage, RUNS_PER_PAGE), safePage, more, shown);
    }

    @GET
    @Path("{id: [0-9]+}")
    public TemplateInstance run(@PathParam("id") long id, @QueryParam("state") String state,
            @QueryParam("page") @DefaultValue("0") int page) {
        RunView run = find(id);
        return Templates.run("runs", run, table(id, state, page));
    }

    /** The node table alone, swapped in by the page's script when the run ends, to show each node's data. */
    @GET
    @Path("{id: [0-9]+}/targets")
    public TemplateInstance targets(@PathParam("id") long id, @QueryParam("state") String state,
            @QueryParam("page") @DefaultValue("0") int page) {
        return Templates.targets(find(id), table(id, state, page));
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("{id: [0-9]+}/cancel")
    @Consumes({ MediaType.APPLICATION_FORM_URLENCODED, MediaType.WILDCARD })
    public Response cancel(@PathParam("id") long id) {
        runs.cancel(id, caller.name());
        return Response.seeOther(URI.create("/runs/" + id)).build();
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("{id: [0-9]+}/retry")
    @Consumes({ MediaType.APPLICATION_FORM_URLENCODED, MediaType.WILDCARD })
    public Response retry(@PathParam("id") long id, @FormParam("confirm") String confirm) {
        Run retry;
        try {
            retry = planner.retryFailed(id, caller.name(), "yes".equals(confirm));
        } catch (ConflictProblem asking) {
            if (!asking.code().equals("confirmation-required")) {
                throw asking;
            }
            // Nothing started: show what needs the operator's word, with a form that confirms exactly that.
            return Response.status(Response.Status.CONFLICT).type(MediaType.TEXT_HTML)
                    .entity(Templates.confirmRetry("runs", find(id), asking.errors())).build();
        }
        return Response.seeOther(URI.create("/runs/" + retry.id)).build();
    }

    private RunView find(long id) {
        return runs.get(id).orElseThrow(() -> new NotFoundProblem("run", id));
    }

    private TargetTable table(long id, String state, int page) {
        String filter = state == null || !STATES.contains(state) ? null : state;
        int safePage = new Paging(Math.max(page, 0), TARGETS_PER_PAGE).page();
        return new TargetTable(runs.targets(id, filter, safePage, TARGETS_PER_PAGE), filter, safePage,
                runs.countTargets(id, filter), STATES);
    }
}
