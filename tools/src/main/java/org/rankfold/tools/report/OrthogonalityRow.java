package org.rankfold.tools.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The orthogonality of one regularized weight after one epoch, a row of {@code orthogonality.csv}
 * ({@code phase,epoch,weight,frobenius}): {@code frobenius = ||P||_F} with {@code P = M M^T - I} for the
 * weight as an m x n matrix with m &lt;= n, else {@code M^T M - I} (docs/method.md). The file is optional;
 * the report says "not recorded" without it.
 */
record OrthogonalityRow(String phase, int epoch, String weight, double frobenius) {

    static final List<String> REQUIRED = List.of("phase", "epoch", "weight", "frobenius");

    static List<OrthogonalityRow> read(Path file) throws IOException {
        CsvTable t = CsvTable.read(file, REQUIRED);
        List<OrthogonalityRow> rows = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            rows.add(new OrthogonalityRow(t.text(i, "phase"), t.integer(i, "epoch"), t.text(i, "weight"),
                    t.number(i, "frobenius")));
        }
        return rows;
    }
}
