package io.popfleet.web;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.MultivaluedMap;

import io.popfleet.ops.Operation;
import io.popfleet.runs.NodeSelection;

/**
 * The run form as submitted: positional arguments ({@code arg}, in field order), options ({@code opt.NAME}), the
 * node selection and the confirmation. Kept whole so a refused form comes back with what the operator typed.
 *
 * @param confirmation the single-use token the page issued with the node count (see
 *        {@link io.popfleet.security.RunConfirmations}); it only counts together with the ticked {@code confirm}
 */
public record RunForm(String operation, List<String> arguments, Map<String, String> options, List<String> groups,
        String tags, String q, String nodes, boolean includeDisabled, boolean confirm, String confirmation) {

    public static RunForm empty(String operation) {
        return new RunForm(operation, List.of(), Map.of(), List.of(), "", "", "", false, false, null);
    }

    public static RunForm of(MultivaluedMap<String, String> form) {
        Map<String, String> options = new LinkedHashMap<>();
        form.forEach((key, values) -> {
            if (key.startsWith("opt.") && !values.isEmpty() && values.get(0) != null && !values.get(0).isBlank()) {
                options.put(key.substring(4), values.get(0).strip());
            }
        });
        return new RunForm(blankToEmpty(form.getFirst("operation")), list(form.get("arg")), options,
                list(form.get("groups")), blankToEmpty(form.getFirst("tags")), blankToEmpty(form.getFirst("q")),
                blankToEmpty(form.getFirst("nodes")), "on".equals(form.getFirst("includeDisabled")),
                "on".equals(form.getFirst("confirm")), blankToEmpty(form.getFirst("confirmation")));
    }

    /**
     * The positional values for the catalog. A repeating last argument (e.g. several {@code configure} settings)
     * is typed as one field with values separated by spaces; their rules allow no spaces.
     */
    public List<String> positional(Operation op) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < arguments.size(); i++) {
            String value = arguments.get(i).strip();
            boolean last = i == op.positional().size() - 1;
            if (op.repeats() && last) {
                Arrays.stream(value.split("\\s+")).filter(v -> !v.isEmpty()).forEach(values::add);
            } else {
                values.add(value);
            }
        }
        // Optional arguments left empty at the end are not given at all.
        while (!values.isEmpty() && values.get(values.size() - 1).isEmpty()) {
            values.remove(values.size() - 1);
        }
        return values;
    }

    public NodeSelection selection() {
        return new NodeSelection(groups, words(tags), q, words(nodes), includeDisabled);
    }

    /** The selection as confirmation lines: order-free lists sorted, so the same nodes give the same text. */
    public static List<String> selectionParts(NodeSelection selection) {
        List<String> parts = new ArrayList<>();
        selection.groups().stream().sorted().forEach(g -> parts.add("group " + g));
        selection.tags().stream().sorted().forEach(t -> parts.add("tag " + t));
        selection.names().stream().sorted().forEach(n -> parts.add("node " + n));
        parts.add("q " + (selection.q() == null ? "" : selection.q()));
        parts.add("includeDisabled " + selection.includeDisabled());
        return parts;
    }

    /** Whether no field narrows the selection: the run then covers every enabled node (or every node). */
    public boolean selectsAll() {
        return groups.isEmpty() && tags.isBlank() && q.isBlank() && nodes.isBlank();
    }

    public String arg(int index) {
        return index < arguments.size() ? arguments.get(index) : "";
    }

    public String option(String name) {
        return options.getOrDefault(name, "");
    }

    public boolean flag(String name) {
        return options.containsKey(name);
    }

    public boolean hasGroup(String name) {
        return groups.contains(name);
    }

    private static List<String> words(String text) {
        return text == null || text.isBlank() ? List.of()
                : Arrays.stream(text.strip().split("[\\s,]+")).filter(w -> !w.isEmpty()).toList();
    }

    private static List<String> list(List<String> values) {
        return values == null ? List.of() : values.stream().map(v -> v == null ? "" : v).toList();
    }

    private static String blankToEmpty(String value) {
        return value == null ? "" : value.strip();
    }
}
