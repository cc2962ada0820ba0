package org.rankfold.tools.train;

import java.util.Locale;

import org.rankfold.engine.train.BatchProgress;

/** The text of progress lines: a bar, percent, elapsed time and labelled estimates; pure functions. */
public final class ProgressFormat {
    /** Characters of the bar between its brackets. */
    public static final int BAR_WIDTH = 20;

    private ProgressFormat() {
    }

    /** "[#########-----------]" for {@code done} of {@code total}, {@link #BAR_WIDTH} wide. */
    public static String bar(long done, long total) {
        int filled = total <= 0 ? 0 : (int) Math.min(BAR_WIDTH, done * BAR_WIDTH / total);
        return "[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "]";
    }

    /** Whole percent of {@code done} in {@code total}, rounded down (100 only when done). */
    public static int percent(long done, long total) {
        return total <= 0 ? 0 : (int) Math.min(100, done * 100 / total);
    }

    /**
     * True when batch {@code batch} of {@code batches} crosses the next multiple of {@code stepPercent}: the batches
     * after which a log (not a terminal) gets a line, e.g. ten per epoch for 10%. The last batch always does.
     */
    public static boolean crossesStep(int batch, int batches, int stepPercent) {
        if (batch >= batches) {
            return true;
        }
        return (long) batch * 100 / batches / stepPercent > (long) (batch - 1) * 100 / batches / stepPercent;
    }

    /**
     * "train epoch 2/3 [##########----------]  50%  batch 5/10  loss 0.4321  acc 87.50%  321 img/s  elapsed 10s
     * phase ETA 10s  run ETA 41s": {@code etaLabel}/{@code eta} name the longer estimate (the run, or a phase of
     * compress), left out when {@code etaLabel} is null.
     */
    public static String line(BatchProgress p, double phaseEta, String etaLabel, double eta) {
        String s = String.format(Locale.ROOT, "%-5s epoch %d/%d %s %3d%%  batch %d/%d  loss %.4f  acc %.2f%%  %.0f img/s"
                        + "  elapsed %s  %s ETA %s", p.phase().label(), p.epoch(), p.epochs(), bar(p.batch(), p.batches()),
                percent(p.batch(), p.batches()), p.batch(), p.batches(), p.loss(), 100 * p.accuracy(), p.imagesPerSecond(),
                Durations.format(p.elapsedSeconds()), "phase",
                Durations.format(phaseEta));
        return etaLabel == null ? s : s + "  " + etaLabel + " ETA " + Durations.format(eta);
    }
}
