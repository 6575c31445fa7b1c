package io.popfleet.web;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

import io.popfleet.api.ApiProblem;
import io.popfleet.api.ProblemException;
import io.popfleet.inventory.GroupService;
import io.popfleet.inventory.GroupView;
import io.popfleet.rollout.Release;
import io.popfleet.rollout.ReleaseService;
import io.popfleet.rollout.RolloutPreview;
import io.popfleet.rollout.RolloutRequest;
import io.popfleet.rollout.RolloutService;
import io.popfleet.rollout.RolloutView;
import io.popfleet.rollout.StoredStrategy;
import io.popfleet.rollout.StrategyStore;
import io.popfleet.security.Caller;
import io.popfleet.security.Roles;

/**
 * The rollout wizard: the nodes (as the run form selects them), the release, the strategy, then the preview the
 * service plans (every node's batch, every skipped node's reason, the estimated time), then start. The start button
 * carries the preview's fingerprint; the rollout starts only if the controller still plans exactly that, otherwise
 * the page shows the new plan to look at again. Every refusal re-shows the form as typed, with its messages.
 */
@Path("/rollouts/new")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.OPERATOR)
public class NewRolloutPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance wizard(String nav, RolloutForm form, List<GroupView> groups,
                List<Release> releases, boolean registered, List<StoredStrategy> strategies, RolloutPreview preview,
                String planKey,
                List<ApiProblem.FieldError> errors, Map<String, String> fieldErrors, String problem);
    }

    @Inject
    RolloutService rollouts;

    @Inject
    ReleaseService releases;

    @Inject
    GroupService groups;

    @Inject
    StrategyStore strategies;

    @Inject
    Caller caller;

    /**
     * The form, empty or filled from the query (the form's own field names: {@code version}, {@code nodes},
     * {@code groups}, {@code canary}…), so other pages can link to a prepared rollout such as a drift fix.
     */
    @GET
    public Response form(@Context UriInfo uri) {
        return loaded(uri.getQueryParameters());
    }

    /** The form filled from a POST, for prepared rollouts over more nodes than a link carries. Starts nothing. */
    @POST
    @Path("prepare")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response prepare(MultivaluedMap<String, String> body) {
        return loaded(body);
    }

    /**
     * The form, with the stored strategy it names loaded into its fields: from a link or a prepared form
     * ({@code strategy=careful}), or the wizard's own Load button ({@code load}). A wizard form that only keeps
     * the strategy's name selected keeps its own fields, as typed. An unknown name is the form's error. Loading
     * with no strategy named, for exactly one group, loads that group's default strategy when it has one: what
     * the API does with a request for one group that brings no strategy of its own.
     */
    private Response loaded(MultivaluedMap<String, String> fields) {
        RolloutForm form = RolloutForm.of(fields).withoutPlan();
        boolean load = fields.containsKey("load") || !fields.containsKey("wizard");
        if (!load) {
            return Response.ok(page(form, null, List.of(), null)).build();
        }
        if (form.strategy().isEmpty()) {
            return Response.ok(page(strategies.selectionDefault(form.groups()).map(stored -> form.withStrategy(
                    stored.name(), stored.strategy())).orElse(form), null, List.of(), null)).build();
        }
        return strategies.find(form.strategy()).map(stored -> Response.ok(page(form.withStrategy(stored.name(),
                stored.strategy()), null, List.of(), null)).build()).orElseGet(() -> refused(form,
                        new ProblemException("strategy-missing", "Invalid rollout", 400, "One field is invalid;"
                                + " nothing was started.", List.of(new ApiProblem.FieldError("strategy", null, null,
                                        "no stored strategy is named \"" + form.strategy() + "\"")))));
    }

    /** The plan for the form as it stands. Starts nothing. */
    @POST
    @Path("preview")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response preview(MultivaluedMap<String, String> body) {
        RolloutForm form = RolloutForm.of(body).withoutPlan();
        try {
            RolloutPreview preview = rollouts.preview(request(form));
            return Response.ok(page(form, preview, List.of(), null)).build();
        } catch (ProblemException e) {
            return refused(form, e);
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response start(MultivaluedMap<String, String> body) {
        RolloutForm form = RolloutForm.of(body);
        try {
            RolloutRequest request = request(form);
            if (form.plan().isEmpty()) {
                return refused(form.withoutPlan(), new ProblemException("preview-first", "Preview first", 400,
                        "Preview the rollout before starting it; nothing was started.", List.of()));
            }
            RolloutPreview now = rollouts.preview(request);
            if (!planKey(now).equals(form.plan())) {
                return Response.status(Response.Status.CONFLICT).type(html()).entity(page(form.withoutPlan(), now,
                        List.of(), "The plan changed since the preview (the form was edited, or the fleet changed):"
                                + " check it below and start again; nothing was started.")).build();
            }
            RolloutView started = rollouts.start(request, caller.name());
            return Response.seeOther(URI.create("/rollouts/" + started.id())).build();
        } catch (ProblemException e) {
            return refused(form.withoutPlan(), e);
        }
    }

    /** The form's request, its version a registered release: an unknown one is the form's error, not a 404. */
    private RolloutRequest request(RolloutForm form) {
        RolloutRequest request = form.request();
        if (releases.find(request.version()).isEmpty()) {
            String message = "version " + request.version() + " is not registered: register the binary first"
                    + " (popfleet rollout release " + request.version() + " FILE), then preview again";
            throw new ProblemException("release-missing", "Invalid rollout", 400, "One field is invalid; nothing"
                    + " was started.", List.of(new ApiProblem.FieldError("version", null, null, message)));
        }
        return request;
    }

    /** A fingerprint of everything the preview shows: start compares it with a fresh plan. */
    static String planKey(RolloutPreview preview) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(preview.toString()
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Response refused(RolloutForm form, ProblemException e) {
        // Client errors only: a server-side failure is not the form's fault and goes to the usual error page.
        if (e.status() < 400 || e.status() >= 500) {
            throw e;
        }
        return Response.status(e.status()).type(html()).entity(page(form, null, e.errors(), e.getMessage())).build();
    }

    private TemplateInstance page(RolloutForm form, RolloutPreview preview, List<ApiProblem.FieldError> errors,
            String problem) {
        List<Release> registered = releases.list();
        boolean known = form.version().isEmpty()
                || registered.stream().anyMatch(release -> release.version().equals(form.version()));
        Map<String, String> byField = new LinkedHashMap<>();
        errors.stream().filter(error -> error.field() != null)
                .forEach(error -> byField.merge(error.field(), error.message(), (a, b) -> a + "; " + b));
        return Templates.wizard("rollouts", form, groups.list(), registered, known, strategies.list(), preview,
                preview == null || preview.batches().isEmpty() ? "" : planKey(preview), errors, byField, problem);
    }

    private static MediaType html() {
        return MediaType.TEXT_HTML_TYPE.withCharset("UTF-8");
    }
}
