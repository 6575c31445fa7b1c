package io.popfleet.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Follows a run to its end over the controller's event stream: a progress bar on a terminal, a line per node as
 * its result arrives (table: the outcome; jsonl: the node's answer), and at the end the rest (json: every node's
 * result) and the exit code.
 */
final class RunWatcher {

    private static final Set<String> DONE = Set.of("ok", "failed", "cancelled", "orphaned");
    private static final String NODE_SCHEMA = "popfleet.node/v1";

    private final ApiClient api;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean terminal;
    private final PopfleetCli.Format format;
    private final Set<String> shown = new HashSet<>();
    private final Set<Long> printed = new HashSet<>();
    private Map<Long, String> hosts;
    private String operation;
    private boolean barShown;

    RunWatcher(ApiClient api, PrintWriter out, PrintWriter err, boolean terminal, PopfleetCli.Format format) {
        this.api = api;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
        this.format = format;
    }

    /** Waits for the run to end; answers {@link ExitCodes#OK} only if every node succeeded. */
    int watch(long runId) {
        JsonNode run = api.get("/api/v1/runs/" + runId);
        operation = run.path("operation").asText();
        // jsonl prints each node's answer as its event arrives: the stream carries the answers when asked to.
        String events = "/api/v1/runs/" + runId + "/events"
                + (format == PopfleetCli.Format.jsonl ? "?results=true" : "");
        // The stream ends with the run; a stream cut short (a proxy's timeout) is opened again, and the lines
        // already printed are not printed twice.
        while ("running".equals(run.path("state").asText())) {
            api.events(events, this::onEvent);
            run = api.get("/api/v1/runs/" + runId);
        }
        clearBar();
        List<JsonNode> targets = api.all("/api/v1/runs/" + runId + "/targets", Map.of());
        finish(run, targets);
        return exitCode(run);
    }

    /** Prints a run that has ended (or its state so far) as {@code runs show} does. */
    void finish(JsonNode run, List<JsonNode> targets) {
        operation = run.path("operation").asText();
        switch (format) {
            case table -> {
                for (JsonNode target : targets) {
                    if (shown.add(key(target.path("nodeName").asText(), target.path("state").asText()))) {
                        out.println(nodeLine(target.path("nodeName").asText(), target.path("state").asText(),
                                target.get("durationMs"), target.path("failureKind").asText(null),
                                target.path("failureMessage").asText(null)));
                    }
                }
                out.println(summary(run));
            }
            case json -> {
                ObjectNode whole = ApiClient.JSON.createObjectNode();
                whole.set("run", run);
                whole.set("nodes", ApiClient.array(perNode(targets)));
                out.println(ApiCommand.pretty(whole));
            }
            case jsonl -> {
                // What the stream did not deliver (a run already ended, a stream reopened after a cut).
                for (JsonNode target : targets) {
                    if (printed.add(target.path("id").asLong())) {
                        out.println(nodeObject(target).toString());
                    }
                }
            }
        }
        out.flush();
    }

    static int exitCode(JsonNode run) {
        if ("running".equals(run.path("state").asText())) {
            return ExitCodes.OK;
        }
        long ok = run.path("counts").path("ok").asLong();
        return "finished".equals(run.path("state").asText()) && ok == run.path("total").asLong() ? ExitCodes.OK
                : ExitCodes.SOME_FAILED;
    }

    private void onEvent(JsonNode event) {
        if ("target".equals(event.path("type").asText())) {
            String state = event.path("state").asText();
            if (format == PopfleetCli.Format.jsonl && DONE.contains(state)
                    && printed.add(event.path("targetId").asLong())) {
                out.println(nodeObject(event).toString());
                out.flush();
            }
            if (format == PopfleetCli.Format.table && DONE.contains(state)
                    && shown.add(key(event.path("nodeName").asText(), state))) {
                clearBar();
                out.println(nodeLine(event.path("nodeName").asText(), state, event.get("durationMs"),
                        event.path("failureKind").asText(null), event.path("failureMessage").asText(null)));
                out.flush();
            }
        } else if ("run".equals(event.path("type").asText()) && terminal) {
            bar(event.path("counts"), event.path("total").asLong());
        }
    }

    private static String key(String node, String state) {
        return node + "\u0000" + state;
    }

    private static String nodeLine(String node, String state, JsonNode millis, String kind, String message) {
        StringBuilder line = new StringBuilder(String.format("%-9s %s", state, node));
        if (millis != null && !millis.isNull()) {
            line.append(String.format("  %.1f s", millis.asLong() / 1000.0));
        }
        if (kind != null) {
            line.append("  ").append(kind);
            if (message != null) {
                line.append(": ").append(ApiClient.oneLine(message));
            }
        }
        return line.toString().replaceAll("\\p{Cntrl}", " ");
    }

    static String summary(JsonNode run) {
        JsonNode counts = run.path("counts");
        List<String> parts = new ArrayList<>();
        counts.fields().forEachRemaining(count -> {
            if (count.getValue().asLong() > 0) {
                parts.add(count.getValue().asLong() + " " + count.getKey());
            }
        });
        return "run " + run.path("id").asText() + " (" + run.path("operation").asText() + ") "
                + run.path("state").asText() + ": " + run.path("total").asLong() + " node(s)"
                + (parts.isEmpty() ? "" : ", " + String.join(", ", parts));
    }

    private void bar(JsonNode counts, long total) {
        long done = 0;
        for (String state : DONE) {
            done += counts.path(state).asLong();
        }
        int width = 30;
        int filled = total == 0 ? width : (int) (done * width / total);
        err.print("\r\u001b[K[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + done + "/" + total
                + "  ok " + counts.path("ok").asLong() + "  failed " + counts.path("failed").asLong());
        err.flush();
        barShown = true;
    }

    private void clearBar() {
        if (barShown) {
            err.print("\r\u001b[K");
            err.flush();
            barShown = false;
        }
    }

    /** One object per node: where it is, how it ended and, when the node answered, its popfleet.node/v1 answer. */
    private List<JsonNode> perNode(List<JsonNode> targets) {
        List<JsonNode> lines = new ArrayList<>();
        for (JsonNode target : targets) {
            lines.add(nodeObject(target));
        }
        return lines;
    }

    /** A node's line from its target, or from the event that ended it: both name the same fields. */
    private ObjectNode nodeObject(JsonNode target) {
        ObjectNode line = ApiClient.JSON.createObjectNode();
        line.put("node", target.path("nodeName").asText());
        line.put("host", hosts().get(target.path("nodeId").asLong()));
        line.put("state", target.path("state").asText());
        line.set("result", answer(operation, target));
        if (target.hasNonNull("failureKind")) {
            ObjectNode failure = line.putObject("failure");
            failure.put("kind", target.get("failureKind").asText());
            failure.put("message", target.path("failureMessage").asText(null));
        }
        return line;
    }

    private Map<Long, String> hosts() {
        if (hosts == null) {
            hosts = new HashMap<>();
            for (JsonNode node : api.all("/api/v1/nodes", Map.of())) {
                hosts.put(node.path("id").asLong(), node.path("host").asText());
            }
        }
        return hosts;
    }

    /**
     * The node's answer, put back together from what the controller stored of it (command, ok, data, error,
     * tool_version, node_time); null when the node gave none (unreachable, timed out, output not JSON).
     */
    static JsonNode answer(String operation, JsonNode target) {
        if (!target.hasNonNull("toolVersion") || !target.hasNonNull("nodeTime")) {
            return ApiClient.JSON.nullNode();
        }
        boolean ok = "ok".equals(target.path("state").asText());
        ObjectNode answer = ApiClient.JSON.createObjectNode();
        answer.put("schema", NODE_SCHEMA);
        answer.put("command", operation);
        answer.put("ok", ok);
        JsonNode data = target.get("data");
        if (ok) {
            answer.set("data", data == null || data.isNull() ? ApiClient.JSON.createObjectNode() : data);
        } else {
            // The controller keeps a failed answer's error code among its data (error_code); the node sent it apart.
            ObjectNode rest = data != null && data.isObject() ? ((ObjectNode) data).deepCopy() : null;
            JsonNode code = rest == null ? null : rest.remove("error_code");
            answer.set("data", rest == null || rest.isEmpty() ? ApiClient.JSON.nullNode() : rest);
            ObjectNode error = answer.putObject("error");
            String errorCode = code == null ? "internal" : code.asText();
            String message = target.path("failureMessage").asText("");
            error.put("code", errorCode);
            error.put("message", message.startsWith(errorCode + ": ") ? message.substring(errorCode.length() + 2)
                    : message);
        }
        answer.put("tool_version", target.get("toolVersion").asText());
        answer.put("node_time", target.get("nodeTime").asText());
        return answer;
    }

}
