package io.popfleet.web;

import java.util.Map;

import io.quarkus.qute.TemplateExtension;

/** Display logic for templates, kept out of the templates themselves. */
@TemplateExtension
public class DisplayExtensions {

    private static final int SUMMARY_LIMIT = 160;

    /** Same as {@code fmt:when}, for a value that is never null. */
    static String when(java.time.Instant instant) {
        return Formats.when(instant);
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
