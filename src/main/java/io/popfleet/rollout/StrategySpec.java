package io.popfleet.rollout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.popfleet.api.ApiProblem;
import io.popfleet.api.ProblemException;

/**
 * A strategy as an operator writes it (the API's JSON and the stored form): sizes and budget as text
 * ({@code "1, 5%, 25%, rest"}, {@code "5%"}), times in seconds. Anything left out takes the default.
 */
public record StrategySpec(String order, Long seed, String canary, Boolean promoteAfterCanary, String batches,
        Integer maxPerRegion, Integer minHealthyPerRegion, String failureBudget, Integer healthyDeadlineSeconds,
        Integer minHealthyTimeSeconds, Integer pauseSeconds, Boolean autoRevert, Integer progressDeadlineSeconds,
        String window, Integer soakSeconds, Double soakMaxDrop) {

    /** The reputation (0 to 1) a node may lose during the soak when the strategy names no threshold. */
    public static final double DEFAULT_SOAK_MAX_DROP = 0.05;

    public StrategySpec {
        // Written the way it is stored when it parses; a bad window stays as typed, for problems() to name.
        window = normalWindow(window);
    }

    /** A strategy without a progress deadline or maintenance window. */
    public StrategySpec(String order, Long seed, String canary, Boolean promoteAfterCanary, String batches,
            Integer maxPerRegion, Integer minHealthyPerRegion, String failureBudget, Integer healthyDeadlineSeconds,
            Integer minHealthyTimeSeconds, Integer pauseSeconds, Boolean autoRevert) {
        this(order, seed, canary, promoteAfterCanary, batches, maxPerRegion, minHealthyPerRegion, failureBudget,
                healthyDeadlineSeconds, minHealthyTimeSeconds, pauseSeconds, autoRevert, null, null, null, null);
    }

    /** A strategy without a soak. */
    public StrategySpec(String order, Long seed, String canary, Boolean promoteAfterCanary, String batches,
            Integer maxPerRegion, Integer minHealthyPerRegion, String failureBudget, Integer healthyDeadlineSeconds,
            Integer minHealthyTimeSeconds, Integer pauseSeconds, Boolean autoRevert, Integer progressDeadlineSeconds,
            String window) {
        this(order, seed, canary, promoteAfterCanary, batches, maxPerRegion, minHealthyPerRegion, failureBudget,
                healthyDeadlineSeconds, minHealthyTimeSeconds, pauseSeconds, autoRevert, progressDeadlineSeconds,
                window, null, null);
    }

    /** The whole rollout must be over this long after it started (null: no deadline). */
    public java.time.Duration progressDeadline() {
        return progressDeadlineSeconds == null || progressDeadlineSeconds == 0 ? null
                : java.time.Duration.ofSeconds(progressDeadlineSeconds);
    }

    public MaintenanceWindow maintenanceWindow() {
        return MaintenanceWindow.parse(window);
    }

    /** This strategy written out in full, keeping its deadline and window. */
    public StrategySpec resolved() {
        StrategySpec full = of(toStrategy());
        return new StrategySpec(full.order, full.seed, full.canary, full.promoteAfterCanary, full.batches,
                full.maxPerRegion, full.minHealthyPerRegion, full.failureBudget, full.healthyDeadlineSeconds,
                full.minHealthyTimeSeconds, full.pauseSeconds, full.autoRevert, progressDeadlineSeconds, window,
                full.soakSeconds, full.soakMaxDrop);
    }

    /**
     * Every field that is wrong, each named by its JSON name, checked one by one so a single answer names them
     * all; empty when the strategy is usable.
     */
    public List<ApiProblem.FieldError> problems() {
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        check(errors, "order", () -> RolloutStrategy.Order.parse(order == null ? "region" : order));
        check(errors, "canary", () -> {
            if (canary != null && !canary.isBlank() && !canary.strip().equals("0")
                    && BatchSize.parse(canary).kind() == BatchSize.Kind.REST) {
                throw new ProblemException("invalid-strategy", "Invalid strategy", 400, "the canary is a count or a"
                        + " percentage, or 0 for none", List.of());
            }
        });
        check(errors, "batches", () -> BatchSize.parseList(batches == null ? "rest" : batches));
        check(errors, "failureBudget", () -> FailureBudget.parse(failureBudget == null ? "0" : failureBudget));
        check(errors, "window", () -> MaintenanceWindow.parse(window));
        if (progressDeadlineSeconds != null && progressDeadlineSeconds < 0) {
            errors.add(new ApiProblem.FieldError("progressDeadlineSeconds", null, null, "must be 0 (none) or more"));
        }
        List<String> named = errors.stream().map(ApiProblem.FieldError::field).toList();
        try {
            // the numbers and times, with the texts already found wrong left to their defaults
            new StrategySpec(named.contains("order") ? null : order, seed, named.contains("canary") ? null : canary,
                    promoteAfterCanary, named.contains("batches") ? null : batches, maxPerRegion,
                    minHealthyPerRegion, named.contains("failureBudget") ? null : failureBudget,
                    healthyDeadlineSeconds, minHealthyTimeSeconds, pauseSeconds, autoRevert, null, null, soakSeconds,
                    soakMaxDrop).build();
        } catch (ProblemException e) {
            errors.addAll(e.errors() == null || e.errors().isEmpty() ? List.of(new ApiProblem.FieldError(null,
                    null, null, e.getMessage())) : e.errors());
        }
        return errors;
    }

    /** The strategy, or a 400 naming every wrong field. */
    public RolloutStrategy toStrategy() {
        List<ApiProblem.FieldError> errors = problems();
        if (!errors.isEmpty()) {
            throw new ProblemException("invalid-strategy", "Invalid strategy", 400, errors.size()
                    + " setting(s) of the strategy are invalid; nothing was started", errors);
        }
        return build();
    }

    private static void check(List<ApiProblem.FieldError> errors, String field, Runnable parse) {
        try {
            parse.run();
        } catch (ProblemException e) {
            errors.add(new ApiProblem.FieldError(field, null, null, e.getMessage()));
        }
    }

    private static String normalWindow(String window) {
        try {
            MaintenanceWindow parsed = MaintenanceWindow.parse(window);
            return parsed == null ? null : parsed.toString();
        } catch (ProblemException e) {
            return window;
        }
    }

    private RolloutStrategy build() {
        RolloutStrategy defaults = RolloutStrategy.defaults();
        return new RolloutStrategy(order == null ? defaults.order() : RolloutStrategy.Order.parse(order),
                seed == null ? 0 : seed,
                canary == null ? defaults.canary() : canary.isBlank() || canary.strip().equals("0") ? null
                        : BatchSize.parse(canary),
                promoteAfterCanary != null && promoteAfterCanary,
                batches == null ? defaults.batches() : BatchSize.parseList(batches),
                maxPerRegion == null ? defaults.maxPerRegion() : maxPerRegion,
                minHealthyPerRegion == null ? 0 : minHealthyPerRegion,
                failureBudget == null ? defaults.budget() : FailureBudget.parse(failureBudget),
                seconds(healthyDeadlineSeconds, defaults.healthyDeadline()),
                seconds(minHealthyTimeSeconds, defaults.minHealthyTime()),
                seconds(pauseSeconds, defaults.pauseBetweenBatches()),
                autoRevert == null ? defaults.autoRevert() : autoRevert,
                seconds(soakSeconds, defaults.soak()), soakMaxDrop == null ? defaults.soakMaxDrop() : soakMaxDrop);
    }

    /** The strategy written back out in full, as the rollout stores and shows it. */
    public static StrategySpec of(RolloutStrategy strategy) {
        return new StrategySpec(strategy.order().name().toLowerCase(java.util.Locale.ROOT), strategy.seed(),
                strategy.canary() == null ? "0" : strategy.canary().toString(), strategy.promoteAfterCanary(),
                String.join(", ", strategy.batches().stream().map(BatchSize::toString).toList()),
                strategy.maxPerRegion(), strategy.minHealthyPerRegion(), strategy.budget().toString(),
                (int) strategy.healthyDeadline().toSeconds(), (int) strategy.minHealthyTime().toSeconds(),
                (int) strategy.pauseBetweenBatches().toSeconds(), strategy.autoRevert(), null, null,
                (int) strategy.soak().toSeconds(), strategy.soakMaxDrop());
    }

    private static Duration seconds(Integer value, Duration fallback) {
        return value == null ? fallback : Duration.ofSeconds(value);
    }
}
