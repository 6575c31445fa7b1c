package io.popfleet.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.popfleet.api.BadRequestProblem;

/**
 * How many nodes one batch takes: a count ({@code 5}), a share of the rollout's eligible nodes ({@code 25%},
 * rounded up, at least one) or {@code rest}. A list like {@code 1, 5%, 25%, rest} is Ansible's {@code serial}; as
 * there, the last size repeats until every node has a batch.
 */
public record BatchSize(Kind kind, int value) {

    public enum Kind { COUNT, PERCENT, REST }

    public static final BatchSize REST = new BatchSize(Kind.REST, 0);

    public BatchSize {
        if (kind == Kind.COUNT && value < 1 || kind == Kind.PERCENT && (value < 1 || value > 100)) {
            throw new IllegalArgumentException(kind + " " + value);
        }
    }

    /** The nodes this size takes out of {@code eligible} (the whole rollout's), never fewer than one. */
    public int of(int eligible, int remaining) {
        int wanted = switch (kind) {
            case COUNT -> value;
            case PERCENT -> (int) Math.max(1, Math.ceil(eligible * value / 100.0));
            case REST -> remaining;
        };
        return Math.min(Math.max(1, wanted), remaining);
    }

    /** One size as an operator writes it: {@code 3}, {@code 10%} or {@code rest}. */
    public static BatchSize parse(String text) {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (value.equals("rest")) {
            return REST;
        }
        boolean percent = value.endsWith("%");
        String digits = percent ? value.substring(0, value.length() - 1).strip() : value;
        if (!digits.matches("[0-9]{1,6}")) {
            throw new BadRequestProblem("invalid-strategy", "a batch size is a count (5), a percentage (25%) or"
                    + " rest, not \"" + text + "\"");
        }
        int number = Integer.parseInt(digits);
        if (number < 1 || percent && number > 100) {
            throw new BadRequestProblem("invalid-strategy", "a batch size must be at least 1"
                    + (percent ? " and at most 100%" : "") + ", not \"" + text + "\"");
        }
        return new BatchSize(percent ? Kind.PERCENT : Kind.COUNT, number);
    }

    /** A comma-separated list; {@code rest} may only come last. */
    public static List<BatchSize> parseList(String text) {
        List<BatchSize> sizes = new ArrayList<>();
        if (text == null || text.isBlank()) {
            throw new BadRequestProblem("invalid-strategy", "batches: give at least one size, e.g. 1, 5%, 25%, rest");
        }
        for (String part : text.split(",", -1)) {
            if (!sizes.isEmpty() && sizes.get(sizes.size() - 1).kind == Kind.REST) {
                throw new BadRequestProblem("invalid-strategy", "batches: rest must be the last size in \"" + text
                        + "\"");
            }
            sizes.add(parse(part));
        }
        return List.copyOf(sizes);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case COUNT -> Integer.toString(value);
            case PERCENT -> value + "%";
            case REST -> "rest";
        };
    }
}
