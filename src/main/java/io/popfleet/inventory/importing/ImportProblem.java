package io.popfleet.inventory.importing;

/** One reason an inventory file is refused, with where it is. */
public record ImportProblem(int line, int column, String message) {

    public static ImportProblem at(SourcePosition position, String message) {
        return new ImportProblem(position.line(), position.column(), message);
    }

    public static ImportProblem ofFile(String message) {
        return new ImportProblem(0, 0, message);
    }

    @Override
    public String toString() {
        if (line <= 0) {
            return message;
        }
        return (column > 0 ? "line " + line + ", column " + column : "line " + line) + ": " + message;
    }
}
