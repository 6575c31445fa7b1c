package io.popfleet.web;

import io.quarkus.qute.TemplateExtension;

import io.popfleet.drift.DriftFix;
import io.popfleet.ops.ReputationBand;

/**
 * Number formats for templates, called as {@code {fmt:score(node.reputation)}}: a namespace rather than a method
 * on the value, because the value may be null (a node not polled yet) and the page must still render.
 */
@TemplateExtension(namespace = "fmt")
public class Formats {

    private static final java.time.format.DateTimeFormatter WHEN = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(java.time.ZoneOffset.UTC);

    /** An instant as an operator reads it: to the second, in UTC, the same on every controller. */
    static String when(java.time.Instant instant) {
        return instant == null ? "—" : WHEN.format(instant);
    }

    /** A 0–1 score to four places, or a dash when the node has not reported it. */
    static String score(Double value) {
        return value == null ? "—" : String.format(java.util.Locale.ROOT, "%.4f", value);
    }

    /** Pipe's reputation band of a score, as the node tool names it; "unknown" before the first answer. */
    static String band(Double reputation) {
        return reputation == null ? "unknown" : ReputationBand.of(reputation).word();
    }

    /** Bytes in decimal units, as Pipe states egress targets (1 TB/day). */
    static String bytes(Long value) {
        if (value == null) {
            return "—";
        }
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB"};
        double size = value;
        int unit = 0;
        while (size >= 1000 && unit < units.length - 1) {
            size /= 1000;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, unit == 0 ? "%.0f %s" : "%.1f %s", size, units[unit]);
    }

    /** Places gained or lost: ▲3, ▼2, = or a dash without history. */
    static String movement(Long places) {
        if (places == null) {
            return "—";
        }
        return places > 0 ? "▲" + places : places < 0 ? "▼" + (-places) : "=";
    }

    /** The new-run form prepared with a drift fix for one node; the operator still confirms there. */
    static String fixLink(DriftFix fix, String node) {
        StringBuilder link = new StringBuilder("/runs/new?operation=").append(encode(fix.operation()));
        fix.arguments().forEach(argument -> link.append("&arg=").append(encode(argument)));
        fix.options().forEach((name, value) -> link.append("&opt.").append(encode(name)).append('=')
                .append(encode(value.isEmpty() ? "true" : value)));
        return link.append("&nodes=").append(encode(node)).toString();
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }
}
