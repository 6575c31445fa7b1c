package io.popfleet.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The soak's rule: after its batch's soak, a node's health may not be worse than before its update, and its Pipe
 * reputation and each of the components monitoring records (uptime, historical, egress; all 0 to 1) may not be more
 * than the strategy's {@code soakMaxDrop} below their figures before the update.
 */
final class SoakGate {

    private SoakGate() {
    }

    /**
     * One node's figures as monitoring records them ({@code node_status}).
     *
     * @param state up, degraded, down or unreachable; null when never polled
     */
    record Figures(String state, Double reputation, Double uptime, Double historical, Double egress) {
    }

    /**
     * What fell too far, in words ({@code "reputation 0.800 → 0.500"}), or null when the node passes. A figure
     * unknown before the update is not compared (nothing to fall from); one known before and missing after fails,
     * since the node can no longer show it did not fall.
     */
    static String drop(Figures before, Figures after, double maxDrop) {
        List<String> drops = new ArrayList<>();
        if (before.state() != null && rank(after.state()) < rank(before.state())) {
            drops.add("health " + before.state() + " → " + (after.state() == null ? "unknown" : after.state()));
        }
        compare(drops, "reputation", before.reputation(), after.reputation(), maxDrop);
        compare(drops, "uptime", before.uptime(), after.uptime(), maxDrop);
        compare(drops, "historical", before.historical(), after.historical(), maxDrop);
        compare(drops, "egress", before.egress(), after.egress(), maxDrop);
        return drops.isEmpty() ? null : String.join(", ", drops) + String.format(Locale.ROOT,
                " (at most %.3f below the figures before the update)", maxDrop);
    }

    private static void compare(List<String> drops, String name, Double before, Double after, double maxDrop) {
        if (before == null) {
            return;
        }
        if (after == null) {
            drops.add(String.format(Locale.ROOT, "%s %.3f → not reported", name, before));
        } else if (before - after > maxDrop + 1e-9) {
            drops.add(String.format(Locale.ROOT, "%s %.3f → %.3f", name, before, after));
        }
    }

    /** Health as an order: a node that was up must stay up, a degraded one must not go down. */
    private static int rank(String state) {
        if (state == null) {
            return 0;
        }
        return switch (state) {
            case "up" -> 2;
            case "degraded" -> 1;
            default -> 0;
        };
    }
}
