package org.rankfold.datasets.inspect;

import java.util.List;
import java.util.Map;

/**
 * What a data file holds, ready to print: its format, a few facts (name to value, in order), one table
 * and warnings (e.g. NaN values in weights, which are allowed but worth knowing).
 */
public record FileReport(String path, String format, List<Map.Entry<String, String>> facts, TextTable table,
                         List<String> warnings) {
    public FileReport {
        facts = List.copyOf(facts);
        warnings = List.copyOf(warnings);
    }

    /** Human-readable lines: facts aligned on their names, a blank line, the table, then warnings. */
    public List<String> render() {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        int w = "format".length();
        for (Map.Entry<String, String> f : facts) {
            w = Math.max(w, f.getKey().length());
        }
        out.add(String.format("%-" + w + "s  %s", "file", path));
        out.add(String.format("%-" + w + "s  %s", "format", format));
        for (Map.Entry<String, String> f : facts) {
            out.add(String.format("%-" + w + "s  %s", f.getKey(), f.getValue()));
        }
        if (!table.rows().isEmpty()) {
            out.add("");
            out.addAll(table.render());
        }
        for (String warning : warnings) {
            out.add("warning: " + warning);
        }
        return out;
    }
}
