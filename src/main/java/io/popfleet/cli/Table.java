package io.popfleet.cli;

import java.io.PrintWriter;
import java.util.List;

/** Columns padded to their widest cell; long cells are cut so one row stays one line. */
final class Table {

    private static final int MAX_CELL = 60;

    private Table() {
    }

    static void print(PrintWriter out, List<String> headers, List<List<String>> rows, boolean cut) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
        }
        List<List<String>> shown = rows.stream().map(row -> row.stream().map(c -> clean(c, cut)).toList()).toList();
        for (List<String> row : shown) {
            for (int i = 0; i < widths.length && i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        line(out, headers, widths);
        shown.forEach(row -> line(out, row, widths));
    }

    private static void line(PrintWriter out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            line.append(cell);
            if (i < cells.size() - 1) {
                line.append(" ".repeat(widths[i] - cell.length() + 2));
            }
        }
        out.println(line.toString().stripTrailing());
    }

    /** Control characters from a node or an inventory never reach the terminal raw. */
    private static String clean(String cell, boolean cut) {
        String clean = cell == null ? "" : cell.replaceAll("\\p{Cntrl}", " ");
        return cut && clean.length() > MAX_CELL ? clean.substring(0, MAX_CELL - 1) + "…" : clean;
    }
}
