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
 * return, at most every {@value #MIN_INTERVAL_MS} ms, showing phase, epoch, a bar with the percent of the phase,
 * batch, running loss and accuracy, images/s, the phase's elapsed time and two labelled estimates (the rest
 * of the phase, the rest of the run; see {@link ProgressClock}); a finished epoch leaves its summary line.
 * Elsewhere (a pipe, a log file): the same line once per {@value #LOG_STEP_PERCENT}% of each training epoch,
 * and the summary lines, so a log shows progress inside long epochs and stays readable.
 */
public final class ProgressLine implements TrainingListener {
    public static final long MIN_INTERVAL_MS = 200;
    /** Without a terminal: one line per this many percent of an epoch's training. */
    public static final int LOG_STEP_PERCENT = 10;
    private final PrintWriter out;
    private final boolean live;
    private final ProgressClock clock = new ProgressClock();
    private long lastDraw;
    private int lastWidth;
    private double evalSeconds = Double.NaN;

    public ProgressLine(PrintWriter out, boolean live) {
        this.out = out;
        this.live = live;
    }

    @Override
    public void onTrainStart(Trainer trainer, TrainingState state) {
        if (state.epochsDone() > 0) {
            out.println("resuming after epoch " + state.epochsDone() + " (step " + state.step() + ")");
            if (!state.history().isEmpty()) {
                clock.epochFinished(state.history().getLast().seconds(), Double.NaN);
            }
        }
    }

    @Override
    public void onBatch(BatchProgress p) {
        double phaseEta = clock.phaseEta(p);
        if (p.phase() == BatchProgress.Phase.EVAL) {
            evalSeconds = p.elapsedSeconds();
        }
        if (!live) {
            if (p.phase() == BatchProgress.Phase.TRAIN && p.batch() < p.batches()
                    && ProgressFormat.crossesStep(p.batch(), p.batches(), LOG_STEP_PERCENT)) {
                out.println(text(p, phaseEta));
                out.flush();
            }
            return;
        }
        long now = System.currentTimeMillis();
        if (now - lastDraw < MIN_INTERVAL_MS && p.batch() < p.batches()) {
            return;
        }
        lastDraw = now;
        draw(text(p, phaseEta));
    }

    /** The progress line's text. */
    String text(BatchProgress p, double phaseEta) {
        return ProgressFormat.line(p, phaseEta, "run", clock.runEta(p, phaseEta));
    }

    private void draw(String s) {
        String padded = s.length() < lastWidth ? s + " ".repeat(lastWidth - s.length()) : s;
        out.print("\r" + padded);
        out.flush();
        lastWidth = s.length();
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochResult r, TrainingState state) {
        clock.epochFinished(r.seconds(), evalSeconds);
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
