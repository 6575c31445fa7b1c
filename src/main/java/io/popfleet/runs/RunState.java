package io.popfleet.runs;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The life of a run, and the one table of moves allowed between its states. A run is planned running; it
 * finishes when no target is queued or in flight any more, or an operator cancels it.
 */
public enum RunState {
    RUNNING, FINISHED, CANCELLED;

    private static final Map<RunState, Set<RunState>> ALLOWED = Map.of(
            RUNNING, EnumSet.of(FINISHED, CANCELLED),
            FINISHED, EnumSet.noneOf(RunState.class),
            CANCELLED, EnumSet.noneOf(RunState.class));

    public boolean canMoveTo(RunState next) {
        return ALLOWED.get(this).contains(next);
    }

    public boolean isFinal() {
        return ALLOWED.get(this).isEmpty();
    }

    /** The word the table's CHECK constraint lists, and the API and pages show. */
    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The word as a SQL literal, for the statements that move runs in bulk: a literal rather than a parameter so
     * PostgreSQL can still use the partial index on running runs.
     */
    String sqlLiteral() {
        return "'" + dbValue() + "'";
    }

    /** Every state's word, in declaration order. */
    public static List<String> dbValues() {
        return Arrays.stream(values()).map(RunState::dbValue).toList();
    }

    public static RunState fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
