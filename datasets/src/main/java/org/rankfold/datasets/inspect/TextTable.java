package org.rankfold.datasets.inspect;

import java.util.ArrayList;
import java.util.List;

/**
 * A table of strings printed with aligned columns: text left-aligned, numbers right-aligned (a column is
 * numeric when every non-empty cell parses as a number or is "-").
 */
public record TextTable(List<String> header, List<List<String>> rows) {
    public TextTable {
        header = List.copyOf(header);
        List<List<String>> copy = new ArrayList<>();
        for (List<String> r : rows) {
            if (r.size() != header.size()) {
                throw new IllegalArgumentException("row " + r + " has " + r.size() + " cells, the header " + header.size());
            }
            copy.add(List.copyOf(r));
        }
        rows = List.copyOf(copy);
    }

    /** The table as lines: header, a rule of dashes, then the rows; two spaces between columns. */
    public List<String> render() {
        int n = header.size();
        int[] width = new int[n];
        boolean[] numeric = new boolean[n];
        for (int c = 0; c < n; c++) {
            width[c] = header.get(c).length();
            numeric[c] = !rows.isEmpty();
            for (List<String> r : rows) {
                width[c] = Math.max(width[c], r.get(c).length());
                numeric[c] &= isNumber(r.get(c));
            }
        }
        List<String> out = new ArrayList<>();
        out.add(line(header, width, numeric));
        List<String> rule = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            rule.add("-".repeat(width[c]));
        }
        out.add(line(rule, width, numeric));
        for (List<String> r : rows) {
            out.add(line(r, width, numeric));
        }
        return out;
    }

    private static String line(List<String> cells, int[] width, boolean[] numeric) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            String s = cells.get(c);
            String pad = " ".repeat(width[c] - s.length());
            if (c > 0) {
                sb.append("  ");
            }
            sb.append(numeric[c] ? pad + s : s + (c + 1 < cells.size() ? pad : ""));
        }
        return sb.toString().stripTrailing();
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty() || s.equals("-")) {
            return true;
        }
        try {
            Double.parseDouble(s.replace(",", ""));
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
