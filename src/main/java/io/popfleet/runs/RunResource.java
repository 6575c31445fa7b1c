package io.popfleet.runs;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;

import io.popfleet.api.ConflictProblem;
import io.popfleet.api.NotFoundProblem;
import io.popfleet.api.Page;
import io.popfleet.api.Paging;
import io.popfleet.ops.OperationCall;
import io.popfleet.ops.OperationCatalog;
import io.popfleet.security.Caller;
import io.popfleet.security.Roles;

@Path("/api/v1/runs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "runs", description = "One node-tool operation over many nodes")
@RolesAllowed(Roles.VIEWER)
public class RunResource {

    /**
     * What to run and where. {@code options} maps an option name (no dashes) to its value, "" for a flag.
     * {@code confirmNodes}, for mutating operations: the node count the client expects to change; when given and
     * the selection covers another number now, nothing starts (409 confirmation-mismatch). The API takes JSON only,
     * which no other site's page can send here, so this guards against a selection that grew, not against CSRF.
     */
    public record RunRequest(@NotBlank String operation, List<String> arguments, Map<String, String> options,
            @Valid SelectionInput selection, Long confirmNodes) {
    }

    /** Which nodes: all enabled ones unless narrowed. */
    public record SelectionInput(List<String> groups, List<String> tags, String q, List<String> nodes,
            Boolean includeDisabled) {
        NodeSelection toSelection() {
            return new NodeSelection(groups, tags, q, nodes, includeDisabled != null && includeDisabled);
        }
    }

    @Inject
    OperationCatalog catalog;

    @Inject
    RunPlanner planner;

    @Inject
    RunService runs;

    @Inject
    RunFeeds feeds;

    @Inject
    Caller caller;

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Operation(summary = "Start an operation on the selected nodes; arguments are checked before any SSH")
    public Response start(@NotNull @Valid RunRequest request) {
        OperationCall call = catalog.call(request.operation(), request.arguments(), request.options());
        NodeSelection selection = request.selection() == null ? NodeSelection.all()
                : request.selection().toSelection();
        if (call.mutating() && request.confirmNodes() != null) {
            long count = planner.count(selection);
            if (count != request.confirmNodes()) {
                throw new ConflictProblem("confirmation-mismatch", "confirmNodes is " + request.confirmNodes()
                        + " but the selection covers " + count + " node(s) now; nothing was started");
            }
        }
        Run run = planner.plan(call, selection, caller.name());
        return Response.created(URI.create("/api/v1/runs/" + run.id)).entity(runs.get(run.id).orElseThrow())
                .build();
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("count")
    @Operation(summary = "How many nodes a selection covers now")
    public Map<String, Long> count(SelectionInput selection) {
        return Map.of("nodes", planner.count(selection == null ? NodeSelection.all() : selection.toSelection()));
    }

    @GET
    @Operation(summary = "Runs, newest first")
    public Page<RunView> list(@QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("50") int size) {
        Paging paging = new Paging(page, size);
        return Page.of(runs.list(paging.page(), paging.size()), paging, runs.count());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One run with its targets counted by state")
    public RunView get(@PathParam("id") long id) {
        return runs.get(id).orElseThrow(() -> new NotFoundProblem("run", id));
    }

    @GET
    @Path("{id}/targets")
    @Operation(summary = "The run's targets, by node name; filter by state")
    public Page<TargetView> targets(@PathParam("id") long id, @QueryParam("state") String state,
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("100") int size) {
        Paging paging = new Paging(page, size);
        return Page.of(runs.targets(id, state, paging.page(), paging.size()), paging, runs.countTargets(id, state));
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("{id}/cancel")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Cancel targets that have not started; running ones finish and report")
    public RunView cancel(@PathParam("id") long id) {
        return runs.cancel(id, caller.name());
    }

    @RolesAllowed(Roles.OPERATOR)
    @POST
    @Path("{id}/retry")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "A new run of the same operation over this run's failed targets; a mutation whose effect is"
            + " unknown (orphaned, timed out) or a node disabled since is only re-run with confirm=true (else 409"
            + " confirmation-required lists them)")
    public Response retry(@PathParam("id") long id, @QueryParam("confirm") @DefaultValue("false") boolean confirm) {
        Run run = planner.retryFailed(id, caller.name(), confirm);
        return Response.created(URI.create("/api/v1/runs/" + run.id)).entity(runs.get(run.id).orElseThrow())
                .build();
    }

    /**
     * Live progress as Server-Sent Events, read from PostgreSQL so it shows the work of every controller on the
     * database: every target change, then the run's totals; the stream ends when the run has ended. The reads are
     * shared by everyone watching the run ({@link RunFeeds}).
     */
    @GET
    @Path("{id}/events")
    @io.smallrye.common.annotation.Blocking
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Live progress of a run (Server-Sent Events); with results=true an ended target's event"
            + " carries the node's answer (nodeId, data, toolVersion, nodeTime)")
    public Multi<RunEvent> events(@PathParam("id") long id,
            @QueryParam("results") @DefaultValue("false") boolean results) {
        runs.get(id).orElseThrow(() -> new NotFoundProblem("run", id));
        Watch watch = new Watch(results);
        return Multi.createFrom().ticks().startingAfter(Duration.ofMillis(1)).every(Duration.ofMillis(400))
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(tick -> poll(id, watch))
                .select().first(batch -> !batch.isEmpty() || !watch.ended)
                .onItem().transformToIterable(batch -> batch);
    }

    private List<RunEvent> poll(long id, Watch watch) {
        if (watch.ended) {
            return List.of();
        }
        RunFeeds.Changes changes = feeds.changes(id, watch.next);
        watch.next = changes.next();
        List<RunEvent> batch = new ArrayList<>();
        for (RunTarget target : changes.targets()) {
            batch.add(RunEvent.target(target, watch.results));
        }
        RunView run = changes.run();
        if (!batch.isEmpty() || watch.first || !run.isRunningState()) {
            batch.add(RunEvent.run(run));
        }
        watch.first = false;
        watch.ended = !run.isRunningState();
        return batch;
    }

    /** Where one watcher is in its run's feed. */
    private static final class Watch {
        final boolean results;
        int next;
        boolean first = true;
        boolean ended;

        Watch(boolean results) {
            this.results = results;
        }
    }

}
