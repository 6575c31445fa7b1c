package io.popfleet.rollout;

import java.util.Locale;

import io.popfleet.api.BadRequestProblem;

/**
 * How many nodes may fail across the whole rollout (not per batch: Ansible's {@code max_fail_percentage} is per
 * batch, and a rollout of many small batches then never stops). A count ({@code 3}) or a share of the eligible
 * nodes ({@code 5%}, rounded down). An unreachable node counts as failed. The rollout stops when failures
 * <em>exceed</em> the budget: with a budget of 3 the fourth failure stops it.
 */
public record FailureBudget(boolean percent, int value) {

    public FailureBudget {
        if (value < 0 || percent && value > 100) {
            throw new IllegalArgumentException("budget " + value + (percent ? "%" : ""));
        }
    }

    public static FailureBudget none() {
        return new FailureBudget(false, 0);
    }

    /** The failures a rollout of {@code eligible} nodes tolerates. */
    public int allowed(int eligible) {
        return percent ? (int) Math.floor(eligible * value / 100.0) : value;
    }

    public static FailureBudget parse(String text) {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        boolean percent = value.endsWith("%");
        String digits = percent ? value.substring(0, value.length() - 1).strip() : value;
        if (!digits.matches("[0-9]{1,6}") || percent && Integer.parseInt(digits) > 100) {
            throw new BadRequestProblem("invalid-strategy", "failure budget: a count (3) or a percentage up to"
                    + " 100% (5%), not \"" + text + "\"");
        }
        return new FailureBudget(percent, Integer.parseInt(digits));
    }

    @Override
    public String toString() {
        return value + (percent ? "%" : "");
    }
}
