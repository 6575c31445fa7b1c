package io.popfleet.web;

import java.util.Map;

import io.quarkus.qute.TemplateExtension;

import io.popfleet.runs.RunView;
import io.popfleet.runs.TargetView;

/** How runs and their targets read on the pages. */
@TemplateExtension
public class RunDisplay {

    private static final int DATA_LIMIT = 120;

    /**
     * The run's state as a word that does not hide failures: a finished run with failed or lost nodes is
     * "finished, N failed", and its badge class is not the green of a clean finish.
     */
    static String outcome(RunView run) {
        long failed = run.count("failed") + run.count("orphaned");
        return "finished".equals(run.state()) && failed > 0 ? "finished, " + failed + " failed" : run.state();
    }

    static String outcomeClass(RunView run) {
        long failed = run.count("failed") + run.count("orphaned");
        if (!"finished".equals(run.state()) || failed == 0) {
            return "run-" + run.state();
        }
        return failed < run.total() ? "run-partial" : "run-failed";
    }

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
        String message = target.failureMessage();
        String code = nodeErrorCode(target);
        if (code != null) {
            // The node tool's own words, without its machine code (that shows on hover).
            message = message.substring(code.length() + 2);
        }
        String phrase = failurePhrase(target.failureKind());
        if (message == null || message.isBlank()) {
            return phrase.isEmpty() ? target.failureKind() : phrase;
        }
        return phrase.isEmpty() ? message : phrase + ": " + message;
    }

    /** The machine codes behind a failure, for the hover text: the kind and, for a node-tool error, its code. */
    static String failureCodes(TargetView target) {
        if (target.failureKind() == null) {
            return "";
        }
        String code = nodeErrorCode(target);
        return code == null ? target.failureKind() : target.failureKind() + " · " + code;
    }

    /** The node tool's error code that a nonzero exit's message starts with ({@code service_failed: …}). */
    private static String nodeErrorCode(TargetView target) {
        String message = target.failureMessage();
        if (!"nonzero_exit".equals(target.failureKind()) || message == null) {
            return null;
        }
        java.util.regex.Matcher code = NODE_ERROR_CODE.matcher(message);
        return code.lookingAt() ? code.group(1) : null;
    }

    private static final java.util.regex.Pattern NODE_ERROR_CODE = java.util.regex.Pattern.compile("([a-z][a-z0-9_]*): ");

    /** A few words for a failure kind; empty where the node tool's message says it all. */
    private static String failurePhrase(String kind) {
        return switch (kind) {
            case "nonzero_exit" -> "";
            case "auth_failed" -> "SSH login failed";
            case "hostkey_mismatch" -> "host key changed";
            case "timeout" -> "timed out";
            case "bad_output" -> "unexpected answer";
            case "not_found" -> "node removed";
            case "no_tool" -> "no node tool in this build";
            case "tool_missing" -> "installed node tool not found";
            case "not_allowed" -> "not contacted";
            case "internal" -> "controller error";
            case "orphaned" -> "outcome unknown";
            default -> kind;
        };
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
        // status nests the binary ({"binary": {"version": …}}); version and health name its path "binary" and
        // its version "binary_version": the path is no version.
        Object version = data.get("binary") instanceof Map<?, ?> binary ? binary.get("version") : null;
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
