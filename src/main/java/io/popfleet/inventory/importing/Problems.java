package io.popfleet.inventory.importing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects problems (errors or warnings) while a file is read, so an operator sees every mistake at once. Keeps the
 * first {@link InventoryLimits#MAX_PROBLEMS} and counts the rest: a file with 10,000 bad lines must not produce a
 * 10,000-line answer.
 */
final class Problems {

    private static final Comparator<ImportProblem> BY_POSITION =
            Comparator.comparingInt(ImportProblem::line).thenComparingInt(ImportProblem::column);

    private final List<ImportProblem> kept = new ArrayList<>();
    private final Set<ImportProblem> seen = new HashSet<>();
    private int total;

    void add(SourcePosition position, String message) {
        add(ImportProblem.at(position, message));
    }

    /**
     * Adds a problem once: a bad group variable inherited by 5,000 hosts is one mistake on one line, and is
     * reported once.
     */
    void add(ImportProblem problem) {
        if (!seen.add(problem)) {
            return;
        }
        total++;
        if (kept.size() < InventoryLimits.MAX_PROBLEMS) {
            kept.add(problem);
        }
    }

    /** How many problems were added so far, kept or not; lets a reader tell whether one item added any. */
    int count() {
        return total;
    }

    boolean isEmpty() {
        return total == 0;
    }

    /** The kept problems in file order, with a closing "and N more" line when some were dropped. */
    List<ImportProblem> list() {
        List<ImportProblem> sorted = new ArrayList<>(kept);
        sorted.sort(BY_POSITION);
        if (total > kept.size()) {
            int more = total - kept.size();
            sorted.add(ImportProblem.ofFile("and " + more + " more problem" + (more == 1 ? "" : "s")));
        }
        return List.copyOf(sorted);
    }

    void throwIfAny() throws InventoryRejectedException {
        if (!isEmpty()) {
            throw new InventoryRejectedException(list());
        }
    }

    static InventoryRejectedException rejection(String fileLevelMessage) {
        return new InventoryRejectedException(List.of(ImportProblem.ofFile(fileLevelMessage)));
    }
}
