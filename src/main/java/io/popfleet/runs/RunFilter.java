package io.popfleet.runs;

import java.util.ArrayList;
import java.util.List;

/**
 * Which runs a list shows. The monitor's scheduled polls (routine runs) come every few minutes and would bury
 * what people started, so the default leaves them out.
 *
 * @param who {@link #PEOPLE} (default), {@link #EVERYONE}, {@link #POLLS} or one starter's name
 * @param operation one operation, or null for any
 */
public record RunFilter(String who, String operation) {

    public static final String PEOPLE = "";
    public static final String EVERYONE = "*";
    public static final String POLLS = "polls";

    public static final RunFilter DEFAULT = new RunFilter(PEOPLE, null);

    public RunFilter {
        who = who == null ? PEOPLE : who.strip();
        operation = operation == null || operation.isBlank() ? null : operation.strip();
    }

    /** A Panache query and its parameters, in order. */
    record Where(String query, List<Object> parameters) {
    }

    Where where() {
        List<String> terms = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
        switch (who) {
            case PEOPLE -> terms.add("routine = false");
            case EVERYONE -> {
            }
            case POLLS -> terms.add("routine = true");
            default -> {
                parameters.add(who);
                terms.add("startedBy = ?" + parameters.size());
            }
        }
        if (operation != null) {
            parameters.add(operation);
            terms.add("operation = ?" + parameters.size());
        }
        return new Where(terms.isEmpty() ? "1 = 1" : String.join(" and ", terms), parameters);
    }
}
