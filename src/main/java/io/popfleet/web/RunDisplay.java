package io.popfleet.web;

import java.util.Map;

import io.quarkus.qute.TemplateExtension;

import io.popfleet.runs.RunView;
import io.popfleet.runs.TargetView;

/** How runs and their targets read on the pages. */
@TemplateExtension
public class RunDisplay {

    private static final int DATA_LIMIT = 120;

    /** The command line as an operator would type it on one node. */
    static String commandLine(RunView run) {
        return run.arguments().isEmpty() ? run.operation() : run.operation() + " " + String.join(" ", run.arguments());
    }

    /**
     * The width, in percent, of one state's part of the progress bar; fractional, so the parts of a finished
     * run fill the bar instead of leaving a rounding gap.
     */
    static String share(RunView run, String state) {
        return run.total() == 0 ? "0" : String.format(java.util.Locale.ROOT, "%.2f", run.count(state) * 100.0 / run.total());
    }

    static String took(TargetView target) {
        Long ms = target.durationMs();
        if (ms == null) {
            return "";
        }
        return ms < 1000 ? ms + " ms" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    static String reason(TargetView target) {
        if (target.failureKind() == null) {
            return target.failureMessage() == null ? "" : target.failureMessage();
        }
        return target.failureMessage() == null ? target.failureKind()
                : target.failureKind() + ": " + target.failureMessage();
    }

    /**
     * The log lines a node returned ({@code logs} data), so a run of {@code logs} over many nodes reads as a tail
     * per node; empty for every other command. Node text, so the template escapes it like any other.
     */
    static java.util.List<String> logLines(TargetView target) {
        Map<String, Object> data = target.data();
        if (data == null || !(data.get("lines") instanceof java.util.List<?> lines)) {
            return java.util.List.of();
        }
        return lines.stream().map(String::valueOf).toList();
    }

    /**
     * A few facts from an ok node's data: service state, reputation and version where the command reports them
     * (status nests them, health flattens them), else the first plain values.
     */
    static String dataSummary(TargetView target) {
        Map<String, Object> data = target.data();
        if (data == null || data.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        add(text, "service", nested(data, "service", "state"));
        add(text, "reputation", nested(data, "reputation", "score"));
        Object version = nested(data, "binary", "version");
        add(text, "version", version != null ? version : data.get("binary_version"));
        if (text.length() == 0) {
            data.entrySet().stream().filter(e -> e.getValue() instanceof String || e.getValue() instanceof Number
                    || e.getValue() instanceof Boolean).limit(3).forEach(e -> add(text, e.getKey(), e.getValue()));
        }
        return text.length() <= DATA_LIMIT ? text.toString() : text.substring(0, DATA_LIMIT) + "…";
    }

    /** {@code data[key][inner]}, or {@code data[key]} itself when it is a plain value. */
    private static Object nested(Map<String, Object> data, String key, String inner) {
        Object value = data.get(key);
        return value instanceof Map<?, ?> map ? map.get(inner) : value;
    }

    private static void add(StringBuilder text, String label, Object value) {
        if (value == null || value instanceof Map || value instanceof Iterable) {
            return;
        }
        if (text.length() > 0) {
            text.append(" · ");
        }
        text.append(label).append(' ').append(value);
    }
}
