package org.rankfold.tools.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.rankfold.datasets.MalformedFileException;
import org.rankfold.datasets.io.RegularFiles;

/**
 * A comma-separated file as the run directory writes it ({@code metrics.csv}, {@code orthogonality.csv}):
 * a header line of column names, then rows with exactly as many cells; no quoting (the writers never
 * put a comma in a cell). Empty numeric cells mean "not measured" and read as NaN.
 */
public final class CsvTable {
    private final Path file;
    private final Map<String, Integer> columns;
    private final List<String[]> rows;
    private final List<Integer> lineNumbers;

    private CsvTable(Path file, Map<String, Integer> columns, List<String[]> rows, List<Integer> lineNumbers) {
        this.file = file;
        this.columns = columns;
        this.rows = rows;
        this.lineNumbers = lineNumbers;
    }

    /** Reads {@code file}; every name in {@code required} must be a column. */
    public static CsvTable read(Path file, List<String> required) throws IOException {
        // A run's CSV files hold one row per epoch: 64 MB is far beyond any real run, and bounds a hostile one.
        List<String> lines = new String(RegularFiles.readBounded(file, 64L << 20, RegularFiles.Links.REFUSE),
                StandardCharsets.UTF_8).lines().toList();
        if (lines.isEmpty()) {
            throw new MalformedFileException(file.toString(), 0, "expected a header line, the file is empty");
        }
        String[] header = lines.get(0).split(",", -1);
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < header.length; i++) {
            if (columns.put(header[i].strip(), i) != null) {
                throw new MalformedFileException(file.toString(), 0, "column '" + header[i] + "' appears twice in the header");
            }
        }
        for (String r : required) {
            if (!columns.containsKey(r)) {
                throw new MalformedFileException(file.toString(), 0, "expected a column '" + r + "' in the header "
                        + lines.get(0));
            }
        }
        List<String[]> rows = new ArrayList<>();
        List<Integer> numbers = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] cells = lines.get(i).split(",", -1);
            if (cells.length != header.length) {
                throw new MalformedFileException(file + " line " + (i + 1), -1, "expected " + header.length
                        + " cells as in the header, found " + cells.length);
            }
            rows.add(cells);
            numbers.add(i + 1);
        }
        return new CsvTable(file, columns, rows, numbers);
    }

    /** The line of {@code row} in the file (1-based, the header is line 1), for error messages. */
    public int lineNumber(int row) {
        return lineNumbers.get(row);
    }

    public int size() {
        return rows.size();
    }

    public boolean has(String column) {
        return columns.containsKey(column);
    }

    public String text(int row, String column) {
        return rows.get(row)[columns.get(column)].strip();
    }

    /** The cell as a number; NaN when empty or when the column is absent. */
    public double number(int row, String column) throws MalformedFileException {
        if (!has(column)) {
            return Double.NaN;
        }
        String s = text(row, column);
        if (s.isEmpty()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new MalformedFileException(file + " line " + lineNumbers.get(row), -1, "column '" + column
                    + "': expected a number, found '" + s + "'");
        }
    }

    /** The cell as an int (for epoch numbers). */
    public int integer(int row, String column) throws MalformedFileException {
        double v = number(row, column);
        if (!(v == Math.rint(v)) || Math.abs(v) > Integer.MAX_VALUE) {
            throw new MalformedFileException(file + " line " + lineNumbers.get(row), -1, "column '" + column
                    + "': expected an integer, found '" + text(row, column) + "'");
        }
        return (int) v;
    }
}
