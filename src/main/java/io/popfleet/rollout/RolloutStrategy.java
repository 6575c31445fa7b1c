package io.popfleet.rollout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.popfleet.api.ApiProblem;
import io.popfleet.api.ProblemException;

/**
 * How a rollout moves through its nodes: order, canary, batches, how many nodes of one region may be down for
 * the update at once and how many must stay healthy, the failure budget over the whole rollout, and the health
 * gate each node must pass.
 *
 * @param order how the eligible nodes are lined up before they are cut into batches
 * @param seed the shuffle's seed for {@link Order#RANDOM}, so a preview and its rollout agree
 * @param canary the first batch, alone, before any other (null: no canary)
 * @param promoteAfterCanary wait for an operator's promote after a healthy canary instead of going on
 * @param batches the sizes of the batches after the canary; the last repeats
 * @param maxPerRegion at most this many nodes of one region updating at once (0: no limit)
 * @param minHealthyPerRegion never start a node whose update would leave its region with fewer healthy nodes
 * @param budget failures tolerated across the whole rollout; unreachable counts as failed
 * @param healthyDeadline how long a node may take to report healthy on the new version after its update starts
 * @param minHealthyTime how long it must then stay healthy before it counts as done
 * @param pauseBetweenBatches a wait after each batch before the next starts
 * @param autoRevert put a failed node back on its previous binary (the node tool's rollback)
 * @param soak after each batch, how long its updated nodes are watched before the next batch (zero: no soak)
 * @param soakMaxDrop how far (on reputation's 0 to 1 scale) a soaking node's reputation or one of its components
 *        may fall below its figure before the update
 */
public record RolloutStrategy(Order order, long seed, BatchSize canary, boolean promoteAfterCanary,
        List<BatchSize> batches, int maxPerRegion, int minHealthyPerRegion, FailureBudget budget,
        Duration healthyDeadline, Duration minHealthyTime, Duration pauseBetweenBatches, boolean autoRevert,
        Duration soak, double soakMaxDrop) {

    /** Regions first (so a region's nodes are spread over the rollout in name order), by name, or shuffled. */
    public enum Order {
        REGION, NAME, RANDOM;

        public static Order parse(String text) {
            try {
                return valueOf(text.strip().toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                throw invalid("order", "order is region, name or random, not \"" + text + "\"");
            }
        }
    }

    public static final Duration MAX_DEADLINE = Duration.ofHours(1);
    /** A soak watches reputation, which Pipe moves hour by hour: up to a day. */
    public static final Duration MAX_SOAK = Duration.ofHours(24);

    public RolloutStrategy {
        order = order == null ? Order.REGION : order;
        batches = batches == null || batches.isEmpty() ? List.of(BatchSize.REST) : List.copyOf(batches);
        budget = budget == null ? FailureBudget.none() : budget;
        healthyDeadline = healthyDeadline == null ? Duration.ofMinutes(5) : healthyDeadline;
        minHealthyTime = minHealthyTime == null ? Duration.ZERO : minHealthyTime;
        pauseBetweenBatches = pauseBetweenBatches == null ? Duration.ZERO : pauseBetweenBatches;
        soak = soak == null ? Duration.ZERO : soak;
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        if (canary != null && canary.kind() == BatchSize.Kind.REST) {
            errors.add(new ApiProblem.FieldError("canary", null, null, "the canary is a count or a percentage"));
        }
        if (maxPerRegion < 0) {
            errors.add(new ApiProblem.FieldError("maxPerRegion", null, null, "must be 0 (no limit) or more"));
        }
        if (minHealthyPerRegion < 0) {
            errors.add(new ApiProblem.FieldError("minHealthyPerRegion", null, null, "must be 0 (none) or more"));
        }
        check(errors, "healthyDeadline", healthyDeadline, Duration.ofSeconds(1));
        check(errors, "minHealthyTime", minHealthyTime, Duration.ZERO);
        check(errors, "pauseBetweenBatches", pauseBetweenBatches, Duration.ZERO);
        if (soak.isNegative() || soak.compareTo(MAX_SOAK) > 0) {
            errors.add(new ApiProblem.FieldError("soakSeconds", null, null, "must be from 0 s (no soak) to "
                    + MAX_SOAK.toSeconds() + " s"));
        }
        if (Double.isNaN(soakMaxDrop) || soakMaxDrop < 0 || soakMaxDrop > 1) {
            errors.add(new ApiProblem.FieldError("soakMaxDrop", null, null, "must be from 0 to 1 (reputation is a"
                    + " score from 0 to 1)"));
        }
        if (!errors.isEmpty()) {
            throw new ProblemException("invalid-strategy", "Invalid strategy", 400, errors.size()
                    + " setting(s) of the strategy are invalid; nothing was started", errors);
        }
    }

    /** One canary node, then 1, 5 %, 25 % and the rest, one node per region at a time, no failure tolerated. */
    public static RolloutStrategy defaults() {
        return new RolloutStrategy(Order.REGION, 0, new BatchSize(BatchSize.Kind.COUNT, 1), false,
                BatchSize.parseList("1, 5%, 25%, rest"), 1, 0, FailureBudget.none(), null, null, null, true,
                Duration.ZERO, StrategySpec.DEFAULT_SOAK_MAX_DROP);
    }

    /** The same strategy without a soak (the planning rules and their tests do not depend on it). */
    public RolloutStrategy(Order order, long seed, BatchSize canary, boolean promoteAfterCanary,
            List<BatchSize> batches, int maxPerRegion, int minHealthyPerRegion, FailureBudget budget,
            Duration healthyDeadline, Duration minHealthyTime, Duration pauseBetweenBatches, boolean autoRevert) {
        this(order, seed, canary, promoteAfterCanary, batches, maxPerRegion, minHealthyPerRegion, budget,
                healthyDeadline, minHealthyTime, pauseBetweenBatches, autoRevert, Duration.ZERO,
                StrategySpec.DEFAULT_SOAK_MAX_DROP);
    }

    private static void check(List<ApiProblem.FieldError> errors, String field, Duration value, Duration min) {
        if (value.compareTo(min) < 0 || value.compareTo(MAX_DEADLINE) > 0) {
            errors.add(new ApiProblem.FieldError(field, null, null, "must be from " + min.toSeconds() + " s to "
                    + MAX_DEADLINE.toSeconds() + " s"));
        }
    }

    private static ProblemException invalid(String field, String message) {
        return new ProblemException("invalid-strategy", "Invalid strategy", 400, message,
                List.of(new ApiProblem.FieldError(field, null, null, message)));
    }
}
