package io.popfleet.inventory.importing;

/** Where in an inventory file something is: 1-based line, 1-based column or 0 where unknown. */
public record SourcePosition(int line, int column) {

    public static final SourcePosition UNKNOWN = new SourcePosition(0, 0);

    @Override
    public String toString() {
        if (line <= 0) {
            return "";
        }
        return column > 0 ? "line " + line + ", column " + column : "line " + line;
    }
}
