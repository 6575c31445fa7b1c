package io.popfleet.web;

import java.net.URI;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpServerRequest;

import io.popfleet.api.ApiProblem;
import io.popfleet.api.ProblemException;
import io.popfleet.inventory.GroupService;
import io.popfleet.inventory.GroupView;
import io.popfleet.ops.Operation;
import io.popfleet.ops.OperationCall;
import io.popfleet.ops.OperationCatalog;
import io.popfleet.runs.NodeSelection;
import io.popfleet.runs.Run;
import io.popfleet.runs.RunPlanner;
import io.popfleet.security.AuditLog;
import io.popfleet.security.Caller;
import io.popfleet.security.Roles;
import io.popfleet.security.RunConfirmations;

/**
 * Start a run: an operation from the catalog, its arguments, the nodes, and for mutating operations a
 * confirmation naming the node count. The confirmation is a single-use token the server issues with the count it
 * shows, bound to that operation, those arguments and that selection ({@link RunConfirmations}), so a page on
 * another site cannot supply one. The server checks everything again; the page only helps.
 */
@Path("/runs/new")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.OPERATOR)
public class NewRunPage {

    private static final String DEFAULT_OPERATION = "status";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance form(String nav, Collection<Operation> operations, Operation operation,
                RunForm form, List<GroupView> groups, long count, String confirmation,
                List<ApiProblem.FieldError> errors, String problem);

        static native TemplateInstance fields(Operation operation, RunForm form);

        static native TemplateInstance count(Operation operation, RunForm form, long count, String confirmation);
    }

    @Inject
    OperationCatalog catalog;

    @Inject
    GroupService groups;

    @Inject
    RunPlanner planner;

    @Inject
    Caller caller;

    @Inject
    RunConfirmations confirmations;

    @Inject
    AuditLog audit;

    /**
     * The form, empty or filled from the query (the same fields as the form posts: {@code operation}, {@code arg},
     * {@code opt.NAME}, {@code nodes}…), so other pages can link to a prepared run such as a drift fix.
     */
    @GET
    public TemplateInstance form(@Context UriInfo uri) {
        return prepared(RunForm.of(uri.getQueryParameters()));
    }

    /** The form filled from a POST, for prepared runs over more nodes than a link can carry. Starts nothing. */
    @POST
    @Path("prepare")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance prepare(MultivaluedMap<String, String> body) {
        return prepared(RunForm.of(body));
    }

    private TemplateInstance prepared(RunForm given) {
        Operation op = operation(given.operation());
        // Never arrive confirmed: the operator confirms on this page, seeing the count.
        RunForm form = new RunForm(op.command(), given.arguments(), given.options(), given.groups(), given.tags(),
                given.q(), given.nodes(), given.includeDisabled(), false, "");
        long count = planner.count(form.selection());
        return Templates.form("runs", catalog.all(), op, form, groups.list(), count, confirmation(op, form, count),
                List.of(), null);
    }

    /** The argument fields of one operation, swapped in when the operator picks another. */
    @GET
    @Path("fields")
    public TemplateInstance fields(@QueryParam("operation") String operation) {
        Operation op = operation(operation);
        return Templates.fields(op, RunForm.empty(op.command()));
    }

    /** The live count of matching nodes, with the confirmation for mutating operations. */
    @POST
    @Path("count")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public TemplateInstance count(MultivaluedMap<String, String> body) {
        RunForm form = RunForm.of(body);
        Operation op = operation(form.operation());
        long count = planner.count(form.selection());
        return Templates.count(op, form, count, confirmation(op, form, count));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response start(MultivaluedMap<String, String> body, @Context HttpServerRequest request) {
        RunForm form = RunForm.of(body);
        Operation op = operation(form.operation());
        long count = planner.count(form.selection());
        try {
            OperationCall call = catalog.call(form.operation(), form.positional(op), form.options());
            if (count == 0) {
                return refused(op, form, count, List.of(), "No node matches this selection; nothing was started.");
            }
            if (call.mutating() && !form.confirm()) {
                return refused(op, form, count, List.of(), "Confirm that " + op.command() + " may change " + count
                        + (count == 1 ? " node" : " nodes") + "; nothing was started.");
            }
            if (call.mutating() && !confirmations.consume(form.confirmation(), subject(call, form.selection()),
                    count)) {
                refuseConfirmation(call, form, count, request);
                return refused(op, form, count, List.of(), "This confirmation was already used, has expired, or was"
                        + " given for other nodes or arguments. Check the " + count
                        + (count == 1 ? " node" : " nodes") + " below and confirm again; nothing was started.");
            }
            Run run = planner.plan(call, form.selection(), caller.name());
            return Response.seeOther(URI.create("/runs/" + run.id)).build();
        } catch (ProblemException e) {
            return refused(op, form, count, e.errors(), e.getMessage());
        }
    }

    private Response refused(Operation op, RunForm form, long count, List<ApiProblem.FieldError> errors,
            String problem) {
        // The form comes back as typed, minus the confirmation: the operator looks again before confirming.
        RunForm unconfirmed = new RunForm(form.operation(), form.arguments(), form.options(), form.groups(),
                form.tags(), form.q(), form.nodes(), form.includeDisabled(), false, "");
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(Templates.form("runs", catalog.all(), op, unconfirmed, groups.list(), count,
                        confirmation(op, unconfirmed, count), errors, problem))
                .build();
    }

    /** A fresh confirmation for what the form would start now; none where there is nothing to confirm. */
    private String confirmation(Operation op, RunForm form, long count) {
        if (!op.mutating() || count == 0) {
            return "";
        }
        return valid(op, form).map(call -> confirmations.issue(subject(call, form.selection()), count, caller.name()))
                .orElse("");
    }

    private Optional<OperationCall> valid(Operation op, RunForm form) {
        try {
            return Optional.of(catalog.call(form.operation(), form.positional(op), form.options()));
        } catch (ProblemException e) {
            return Optional.empty(); // the form shows the arguments' problems when sent; nothing to confirm yet
        }
    }

    private static String subject(OperationCall call, NodeSelection selection) {
        return RunConfirmations.subject(call.command(), call.arguments(), RunForm.selectionParts(selection));
    }

    private void refuseConfirmation(OperationCall call, RunForm form, long count, HttpServerRequest request) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", "confirmation not valid for this run (used, expired, or issued for other input)");
        details.put("command", call.command());
        details.put("arguments", call.arguments());
        details.put("selection", form.selection().describe());
        details.put("nodes", count);
        details.put("address", request.remoteAddress() == null ? null : request.remoteAddress().hostAddress());
        audit.recordAlone(caller.name(), "run.start", call.command(), AuditLog.REFUSED, details);
    }

    /** The chosen operation, or the harmless default when the name is unknown (the catalog refuses it later). */
    private Operation operation(String name) {
        return catalog.find(name == null || name.isBlank() ? DEFAULT_OPERATION : name)
                .orElseGet(() -> catalog.find(DEFAULT_OPERATION).orElseThrow());
    }
}
