package org.rankfold.tools.train;

import java.io.PrintWriter;
import java.util.Locale;

import org.rankfold.engine.train.BatchProgress;
import org.rankfold.engine.train.EpochResult;
import org.rankfold.engine.train.Trainer;
import org.rankfold.engine.train.TrainingListener;
import org.rankfold.engine.train.TrainingState;

/**
 * Training progress for people. On a terminal ({@code live}): one line rewritten in place with a carriage
 * return, at most every {@value #MIN_INTERVAL_MS} ms, showing phase, epoch, batch, running loss and
 * accuracy, images/s and the ETA of the whole run; a finished epoch leaves its summary line. Elsewhere
 * (a pipe, a log file): only the per-epoch summary lines, so logs stay readable.
 *
 * <p>ETA = the rest of this phase at its current rate + the remaining epochs at the duration of the last
 * finished epoch (or, during the first, at this epoch's projected training time).
 */
public final class ProgressLine implements TrainingListener {
    public static final long MIN_INTERVAL_MS = 200;
    private final PrintWriter out;
    private final boolean live;
    private long lastDraw;
    private int lastWidth;
    private double lastEpochSeconds = Double.NaN;
    private double trainEpochProjection = Double.NaN;

    public ProgressLine(PrintWriter out, boolean live) {
        this.out = out;
        this.live = live;
    }

    @Override
    public void onTrainStart(Trainer trainer, TrainingState state) {
        if (state.epochsDone() > 0) {
            out.println("resuming after epoch " + state.epochsDone() + " (step " + state.step() + ")");
            if (!state.history().isEmpty()) {
                lastEpochSeconds = state.history().getLast().seconds();
            }
        }
    }

    @Override
    public void onBatch(BatchProgress p) {
        if (p.phase() == BatchProgress.Phase.TRAIN) {
            trainEpochProjection = p.elapsedSeconds() / p.batch() * p.batches();
        }
        if (!live) {
            return;
        }
        long now = System.currentTimeMillis();
        if (now - lastDraw < MIN_INTERVAL_MS && p.batch() < p.batches()) {
            return;
        }
        lastDraw = now;
        draw(text(p));
    }

    /** The live line's text. */
    String text(BatchProgress p) {
        double perEpoch = Double.isNaN(lastEpochSeconds) ? trainEpochProjection : lastEpochSeconds;
        double eta = p.phaseEtaSeconds() + (p.epochs() - p.epoch()) * perEpoch;
        return String.format(Locale.ROOT, "%-5s epoch %d/%d  batch %d/%d  loss %.4f  acc %.2f%%  %.0f img/s  ETA %s",
                p.phase().label(), p.epoch(), p.epochs(), p.batch(), p.batches(), p.loss(), 100 * p.accuracy(),
                p.imagesPerSecond(), Durations.format(eta));
    }

    private void draw(String s) {
        String padded = s.length() < lastWidth ? s + " ".repeat(lastWidth - s.length()) : s;
        out.print("\r" + padded);
        out.flush();
        lastWidth = s.length();
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochResult r, TrainingState state) {
        lastEpochSeconds = r.seconds();
        if (live) {
            draw("");
            out.print("\r");
        }
        out.println(summary(r, trainer.epochs()));
        out.flush();
    }

    /** "epoch 3/10  train loss 0.2531 acc 90.85%  test loss 0.2710 acc 90.12%  lr 0.0345  41s". */
    public static String summary(EpochResult r, int epochs) {
        String test = Double.isNaN(r.testAccuracy()) ? "" : String.format(Locale.ROOT, "  test loss %.4f acc %.2f%%",
                r.testLoss(), 100 * r.testAccuracy());
        return String.format(Locale.ROOT, "epoch %d/%d  train loss %.4f acc %.2f%%%s  lr %.4g  %s", r.epoch(), epochs,
                r.trainLoss(), 100 * r.trainAccuracy(), test, r.learningRate(), Durations.format(r.seconds()));
    }
}
