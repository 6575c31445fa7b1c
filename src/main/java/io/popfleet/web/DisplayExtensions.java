package io.popfleet.web;

import java.util.Map;

import io.quarkus.qute.TemplateExtension;

/** Display logic for templates, kept out of the templates themselves. */
@TemplateExtension
public class DisplayExtensions {

    private static final int SUMMARY_LIMIT = 160;

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

    /** Pipe's reputation bands. */
    static String band(Double reputation) {
        if (reputation == null) {
            return "unknown";
        }
        return reputation >= 0.9 ? "excellent" : reputation >= 0.8 ? "good" : reputation >= 0.7 ? "fair" : "poor";
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

    static int previous(int page) {
        return page - 1;
    }

    static int next(int page) {
        return page + 1;
    }

    /** A one-line summary of an audit entry's details. */
    static String summary(Map<String, Object> details) {
        if (details == null || details.isEmpty()) {
            return "";
        }
        String text = details.toString();
        return text.length() <= SUMMARY_LIMIT ? text : text.substring(0, SUMMARY_LIMIT) + "…";
    }
}
