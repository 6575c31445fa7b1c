package io.popfleet.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

    /** A count with thousands separators (66,090), as the charts write them; a dash when unknown. */
    static String count(Number value) {
        return value == null ? "—" : String.format(java.util.Locale.ROOT, "%,d", value.longValue());
    }

    /** A span of seconds as a person reads it: 45 s, 12 min 5 s, 3 h 20 min. */
    static String seconds(long total) {
        if (total < 60) {
            return total + " s";
        }
        if (total < 3600) {
            return total / 60 + " min" + (total % 60 == 0 ? "" : " " + total % 60 + " s");
        }
        return total / 3600 + " h" + (total % 3600 / 60 == 0 ? "" : " " + total % 3600 / 60 + " min");
    }

    /** The rollout wizard prepared to update one node to a version (the drift page's version fix). */
    static String rolloutLink(String version, String node) {
        return "/rollouts/new?version=" + encode(version) + "&nodes=" + encode(node);
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

    private static final int DETAIL_LIMIT = 160;

    /** One detail of an audit entry, as a person reads it. */
    public record Detail(String key, String value) {
    }

    /**
     * An audit entry's details as {@code key: value} pairs: a nested object's keys are prefixed with its own
     * ({@code plan.add}), a list reads as its values separated by commas.
     */
    static List<Detail> details(Map<String, Object> details) {
        List<Detail> flat = new ArrayList<>();
        if (details != null) {
            details.forEach((key, value) -> flatten(key, value, flat));
        }
        return flat;
    }

    private static void flatten(String key, Object value, List<Detail> into) {
        if (value instanceof Map<?, ?> map && !map.isEmpty()) {
            map.forEach((inner, innerValue) -> flatten(key + "." + inner, innerValue, into));
        } else {
            String text = plain(value);
            into.add(new Detail(key, text.length() <= DETAIL_LIMIT ? text : text.substring(0, DETAIL_LIMIT) + "…"));
        }
    }

    private static String plain(Object value) {
        if (value == null) {
            return "—";
        }
        if (value instanceof Iterable<?> items) {
            List<String> parts = new ArrayList<>();
            items.forEach(item -> parts.add(plain(item)));
            return parts.isEmpty() ? "none" : String.join(", ", parts);
        }
        if (value instanceof Map<?, ?> map) {
            return map.isEmpty() ? "none" : map.toString();
        }
        return value.toString();
    }
}
