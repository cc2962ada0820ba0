package org.rankfold.engine.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

import org.rankfold.datasets.io.AtomicFiles;

/**
 * Writes {@code metrics.csv} after every epoch: header
 * {@code epoch,train_loss,train_acc,test_loss,test_acc,lr,seconds} and one row per finished epoch of the
 * whole run (a resumed run rewrites the rows of the epochs before the checkpoint from the checkpoint's
 * history). Accuracies are fractions in [0, 1]; a missing test set leaves its columns empty. The file is
 * replaced atomically, so a reader never sees half a row. With a validation set as the per-epoch evaluation the
 * columns are named {@code val_loss,val_acc} instead ({@link #MetricsCsvListener(Path, String)}).
 */
public final class MetricsCsvListener implements TrainingListener {
    public static final String HEADER = "epoch,train_loss,train_acc,test_loss,test_acc,lr,seconds";
    private final Path file;
    private final String header;

    public MetricsCsvListener(Path file) {
        this(file, "test");
    }

    /** @param evaluated the per-epoch evaluation set's column prefix: {@code test} or {@code val} */
    public MetricsCsvListener(Path file, String evaluated) {
        this.file = file;
        this.header = HEADER.replace("test_", evaluated + "_");
    }

    @Override
    public void onTrainStart(Trainer trainer, TrainingState state) throws IOException {
        write(state);
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochResult result, TrainingState state) throws IOException {
        write(state);
    }

    private void write(TrainingState state) throws IOException {
        StringBuilder sb = new StringBuilder(header).append('\n');
        for (EpochResult r : state.history()) {
            sb.append(row(r)).append('\n');
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /** One CSV row (no newline). */
    public static String row(EpochResult r) {
        return String.format(Locale.ROOT, "%d,%s,%s,%s,%s,%s,%.3f", r.epoch(), num(r.trainLoss()), num(r.trainAccuracy()),
                num(r.testLoss()), num(r.testAccuracy()), num(r.learningRate()), r.seconds());
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }
}
