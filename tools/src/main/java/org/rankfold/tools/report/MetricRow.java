package org.rankfold.tools.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One epoch of one training phase, a row of {@code metrics.csv}
 * ({@code phase,epoch,train_loss,train_acc,test_loss,test_acc,lr,seconds}; accuracies are fractions,
 * {@code lr} the learning rate of the epoch). Unmeasured values are NaN.
 */
record MetricRow(String phase, int epoch, double trainLoss, double trainAccuracy, double testLoss,
                 double testAccuracy, double learningRate, double seconds) {

    static final List<String> REQUIRED = List.of("phase", "epoch", "train_loss", "train_acc", "test_loss", "test_acc", "lr");

    static List<MetricRow> read(Path file) throws IOException {
        return read(file, null);
    }

    /**
     * As {@link #read(Path)}; with {@code phaseOfAll} not null the file may lack the phase column (a train run's
     * {@code metrics.csv}) and every row gets that phase; its evaluation columns may be {@code val_loss} and
     * {@code val_acc} (a validation split) instead of the test ones.
     */
    static List<MetricRow> read(Path file, String phaseOfAll) throws IOException {
        // A train run evaluates its epochs on held-out training images (val_*) unless --val-split 0 (test_*).
        CsvTable t = CsvTable.read(file, phaseOfAll == null ? REQUIRED : List.of("epoch", "train_loss", "train_acc", "lr"));
        String held = phaseOfAll != null && !t.has("test_acc") && t.has("val_acc") ? "val" : "test";
        List<MetricRow> rows = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            rows.add(new MetricRow(phaseOfAll != null && !t.has("phase") ? phaseOfAll : t.text(i, "phase"), t.integer(i, "epoch"), t.number(i, "train_loss"),
                    t.number(i, "train_acc"), t.number(i, held + "_loss"), t.number(i, held + "_acc"), t.number(i, "lr"),
                    t.number(i, "seconds")));
        }
        return rows;
    }
}
