package io.popfleet.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command shares: the client, the streams and printing an answer in the chosen format. */
abstract class ApiCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    PopfleetCli root() {
        return (PopfleetCli) spec.root().userObject();
    }

    ApiClient api() {
        return root().api();
    }

    PrintWriter out() {
        return root().environment().out();
    }

    PrintWriter err() {
        return root().environment().err();
    }

    boolean terminal() {
        return root().environment().terminal();
    }

    PopfleetCli.Format format() {
        return root().output();
    }

    /** One object: pretty JSON, itself on one line, or a two-column table of its fields. */
    void printObject(JsonNode answer) {
        switch (format()) {
            case json -> out().println(pretty(answer));
            case jsonl -> out().println(answer.toString());
            case table -> {
                List<List<String>> rows = new ArrayList<>();
                answer.fields().forEachRemaining(field -> rows.add(List.of(field.getKey(), cell(field.getValue()))));
                Table.print(out(), List.of("FIELD", "VALUE"), rows, false);
            }
        }
    }

    /** A list: a JSON array, one object a line, or a table with these columns. */
    void printList(List<JsonNode> items, List<String> headers, Function<JsonNode, List<String>> row) {
        switch (format()) {
            case json -> out().println(pretty(ApiClient.array(items)));
            case jsonl -> items.forEach(item -> out().println(item.toString()));
            case table -> {
                if (items.isEmpty()) {
                    out().println("(none)");
                    return;
                }
                Table.print(out(), headers, items.stream().map(row).toList(), true);
            }
        }
    }

    static String pretty(JsonNode node) {
        try {
            return ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return node.toString();
        }
    }

    /** A value for a table cell: text as it is, null as empty, arrays joined, objects as compact JSON. */
    static String cell(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "";
        }
        if (value.isValueNode()) {
            return value.asText();
        }
        if (value.isArray()) {
            List<String> parts = new ArrayList<>();
            value.forEach(item -> parts.add(cell(item)));
            return String.join(",", parts);
        }
        return value.toString();
    }

    static String text(JsonNode node, String field) {
        return cell(node.get(field));
    }
}
