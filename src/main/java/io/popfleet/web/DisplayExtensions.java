package io.popfleet.web;

import io.quarkus.qute.TemplateExtension;

/** Display logic for templates, kept out of the templates themselves. */
@TemplateExtension
public class DisplayExtensions {

    /** Same as {@code fmt:when}, for a value that is never null. */
    static String when(java.time.Instant instant) {
        return Formats.when(instant);
    }

    /** Rows a multiple-choice list shows: all of its options up to eight, so no option is ever cut in half. */
    static int rows(java.util.Collection<?> options) {
        return Math.max(2, Math.min(8, options.size()));
    }

    static int previous(int page) {
        return page - 1;
    }

    static int next(int page) {
        return page + 1;
    }
}
