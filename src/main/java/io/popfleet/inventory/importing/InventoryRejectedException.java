package io.popfleet.inventory.importing;

import java.util.List;

/** The file is refused as a whole; every problem found names its line (and column where known). */
public class InventoryRejectedException extends Exception {

    private final transient List<ImportProblem> problems;

    public InventoryRejectedException(List<ImportProblem> problems) {
        super(problems.isEmpty() ? "inventory refused" : problems.get(0).toString());
        this.problems = List.copyOf(problems);
    }

    public List<ImportProblem> problems() {
        return problems;
    }
}
