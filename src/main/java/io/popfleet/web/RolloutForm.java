package io.popfleet.web;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import jakarta.ws.rs.core.MultivaluedMap;

import io.popfleet.api.ApiProblem;
import io.popfleet.api.ProblemException;
import io.popfleet.rollout.BatchSize;
import io.popfleet.rollout.FailureBudget;
import io.popfleet.rollout.MaintenanceWindow;
import io.popfleet.rollout.RolloutRequest;
import io.popfleet.rollout.RolloutStrategy;
import io.popfleet.rollout.StrategySpec;

/**
 * The rollout wizard's form as submitted, every field as typed (so a refused form comes back as it was), and the
 * {@link RolloutRequest} it makes. A link or a prepared form that names no strategy field gets the defaults; a
 * field the operator emptied means what an omitted JSON field means (the default; for the canary: none).
 *
 * @param strategy the stored strategy chosen to load (its fields are copied in; the rollout keeps the fields)
 * @param plan the preview's fingerprint the start button carries: the rollout starts only if it still plans the same
 */
public record RolloutForm(String version, List<String> groups, String tags, String q, String nodes, String order,
        String seed, String canary, boolean promoteAfterCanary, String batches, String maxPerRegion,
        String minHealthyPerRegion, String failureBudget, String healthyDeadline, String minHealthyTime,
        String pause, boolean autoRevert, String progressDeadline, String window, String soak, String soakMaxDrop,
        String strategy, String plan) {

    /** The strategy fields a form without them starts from. */
    public static final StrategySpec DEFAULTS = StrategySpec.of(RolloutStrategy.defaults());

    public static RolloutForm of(MultivaluedMap<String, String> form) {
        // The wizard's own form always sends "wizard"; its checkboxes, unticked, send nothing. A link from another
        // page has no "wizard" and takes the default for a box it does not name.
        boolean wizard = form.containsKey("wizard");
        Function<String, String> field = name -> {
            String value = form.getFirst(name);
            return value == null ? null : value.strip();
        };
        return new RolloutForm(orEmpty(field.apply("version")), list(form.get("groups")), orEmpty(field.apply("tags")),
                orEmpty(field.apply("q")), orEmpty(field.apply("nodes")),
                or(field.apply("order"), DEFAULTS.order()), orEmpty(field.apply("seed")),
                or(field.apply("canary"), DEFAULTS.canary()),
                box(form, "promoteAfterCanary", wizard, DEFAULTS.promoteAfterCanary()),
                or(field.apply("batches"), DEFAULTS.batches()),
                or(field.apply("maxPerRegion"), String.valueOf(DEFAULTS.maxPerRegion())),
                or(field.apply("minHealthyPerRegion"), String.valueOf(DEFAULTS.minHealthyPerRegion())),
                or(field.apply("failureBudget"), DEFAULTS.failureBudget()),
                or(field.apply("healthyDeadline"), String.valueOf(DEFAULTS.healthyDeadlineSeconds())),
                or(field.apply("minHealthyTime"), String.valueOf(DEFAULTS.minHealthyTimeSeconds())),
                or(field.apply("pause"), String.valueOf(DEFAULTS.pauseSeconds())),
                box(form, "autoRevert", wizard, DEFAULTS.autoRevert()), orEmpty(field.apply("progressDeadline")),
                orEmpty(field.apply("window")), or(field.apply("soak"), String.valueOf(DEFAULTS.soakSeconds())),
                or(field.apply("soakMaxDrop"), String.valueOf(DEFAULTS.soakMaxDrop())),
                orEmpty(field.apply("strategy")), orEmpty(field.apply("plan")));
    }

    /** This form with a stored strategy's fields in place of its own; the selection and version stay. */
    public RolloutForm withStrategy(String name, StrategySpec stored) {
        StrategySpec spec = stored.resolved();
        return new RolloutForm(version, groups, tags, q, nodes, spec.order(), String.valueOf(spec.seed()),
                spec.canary(), spec.promoteAfterCanary(), spec.batches(), String.valueOf(spec.maxPerRegion()),
                String.valueOf(spec.minHealthyPerRegion()), spec.failureBudget(),
                String.valueOf(spec.healthyDeadlineSeconds()), String.valueOf(spec.minHealthyTimeSeconds()),
                String.valueOf(spec.pauseSeconds()), spec.autoRevert(), spec.progressDeadlineSeconds() == null ? ""
                        : String.valueOf(spec.progressDeadlineSeconds()), spec.window() == null ? "" : spec.window(),
                String.valueOf(spec.soakSeconds()), String.valueOf(spec.soakMaxDrop()), name, "");
    }

    /**
     * The request this form makes, or a 400 naming every field that is wrong (by its form name), so the page can
     * show them all at once; the strategy's own checks run here too, before anything is read from the database.
     */
    public RolloutRequest request() {
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        if (version.isEmpty()) {
            errors.add(error("version", "choose the version to roll out"));
        }
        Long parsedSeed = number(errors, "seed", "seed", seed, Long.MIN_VALUE, Long.MAX_VALUE);
        Long max = number(errors, "maxPerRegion", "at most per region", maxPerRegion, 0, 100_000);
        Long minHealthy = number(errors, "minHealthyPerRegion", "minimum healthy per region", minHealthyPerRegion,
                0, 100_000);
        long limit = RolloutStrategy.MAX_DEADLINE.toSeconds();
        Long healthy = number(errors, "healthyDeadline", "healthy deadline", healthyDeadline, 1, limit);
        Long minTime = number(errors, "minHealthyTime", "minimum healthy time", minHealthyTime, 0, limit);
        Long pauseSeconds = number(errors, "pause", "pause between batches", pause, 0, limit);
        Long progress = number(errors, "progressDeadline", "progress deadline", progressDeadline, 0,
                Integer.MAX_VALUE);
        Long soakSeconds = number(errors, "soak", "soak after each batch", soak, 0,
                RolloutStrategy.MAX_SOAK.toSeconds());
        Double maxDrop = fraction(errors, "soakMaxDrop", "largest reputation drop in the soak", soakMaxDrop);
        check(errors, "order", () -> RolloutStrategy.Order.parse(order.isEmpty() ? "region" : order));
        check(errors, "canary", () -> {
            if (!canary.isEmpty() && !canary.equals("0") && BatchSize.parse(canary).kind() == BatchSize.Kind.REST) {
                throw new ProblemException("invalid-strategy", "Invalid strategy", 400,
                        "the canary is a count or a percentage, or 0 for none", List.of());
            }
        });
        check(errors, "batches", () -> BatchSize.parseList(batches.isEmpty() ? DEFAULTS.batches() : batches));
        check(errors, "failureBudget", () -> FailureBudget.parse(failureBudget.isEmpty() ? "0" : failureBudget));
        check(errors, "window", () -> MaintenanceWindow.parse(window));
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        try {
            RolloutRequest request = new RolloutRequest(version, groups, words(tags), q, words(nodes),
                    new StrategySpec(order.isEmpty() ? null : order, parsedSeed, canary, promoteAfterCanary,
                            batches.isEmpty() ? null : batches, integer(max), integer(minHealthy),
                            failureBudget.isEmpty() ? null : failureBudget, integer(healthy), integer(minTime),
                            integer(pauseSeconds), autoRevert, integer(progress), window.isEmpty() ? null : window,
                            integer(soakSeconds), maxDrop));
            request.parsedStrategy();
            return request;
        } catch (ProblemException e) {
            throw invalid(e.errors() == null || e.errors().isEmpty() ? List.of(error(null, e.getMessage()))
                    : e.errors());
        }
    }

    /** Whether no field narrows the selection: the rollout then covers the whole fleet. */
    public boolean selectsAll() {
        return groups.isEmpty() && tags.isBlank() && q.isBlank() && nodes.isBlank();
    }

    public boolean hasGroup(String name) {
        return groups.contains(name);
    }

    /** This form without its preview's fingerprint: what the operator changes after a refusal. */
    public RolloutForm withoutPlan() {
        return new RolloutForm(version, groups, tags, q, nodes, order, seed, canary, promoteAfterCanary, batches,
                maxPerRegion, minHealthyPerRegion, failureBudget, healthyDeadline, minHealthyTime, pause, autoRevert,
                progressDeadline, window, soak, soakMaxDrop, strategy, "");
    }

    private static ProblemException invalid(List<ApiProblem.FieldError> errors) {
        return new ProblemException("invalid-rollout", "Invalid rollout", 400, errors.size() == 1
                ? "One field is invalid; nothing was started." : errors.size() + " fields are invalid; nothing was"
                        + " started.", errors);
    }

    private static Long number(List<ApiProblem.FieldError> errors, String field, String label, String text, long min,
            long max) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            long value = Long.parseLong(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        errors.add(error(field, label + ": a whole number from " + min + (max == Long.MAX_VALUE ? " up" : " to "
                + max) + ", not \"" + text + "\""));
        return null;
    }

    private static Double fraction(List<ApiProblem.FieldError> errors, String field, String label, String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            double value = Double.parseDouble(text);
            if (value >= 0 && value <= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        errors.add(error(field, label + ": a score from 0 to 1 (reputation's scale), not \"" + text + "\""));
        return null;
    }

    private static void check(List<ApiProblem.FieldError> errors, String field, Runnable parse) {
        try {
            parse.run();
        } catch (ProblemException e) {
            errors.add(error(field, e.getMessage()));
        }
    }

    private static ApiProblem.FieldError error(String field, String message) {
        return new ApiProblem.FieldError(field, null, null, message);
    }

    private static Integer integer(Long value) {
        return value == null ? null : value.intValue();
    }

    private static boolean box(MultivaluedMap<String, String> form, String name, boolean wizard, Boolean fallback) {
        String value = form.getFirst(name);
        if (value == null) {
            return !wizard && Boolean.TRUE.equals(fallback);
        }
        return value.equals("on") || value.equals("true");
    }

    private static List<String> words(String text) {
        return text == null || text.isBlank() ? null
                : Arrays.stream(text.strip().split("[\\s,]+")).filter(w -> !w.isEmpty()).toList();
    }

    private static List<String> list(List<String> values) {
        return values == null ? List.of() : values.stream().filter(v -> v != null && !v.isBlank()).toList();
    }

    private static String or(String value, String fallback) {
        return value == null ? fallback : value;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
