package org.rankfold.engine.train;

import java.util.List;

/**
 * Where training stands between epochs, all that a checkpoint needs besides weights and optimizer state
 * to continue bit-exactly: {@code epochsDone} finished epochs (the next epoch to run has index
 * {@code epochsDone}, from 0), {@code step} optimizer steps taken, and the {@code history} of finished
 * epochs (so a resumed run rewrites the same {@code metrics.csv}). The data loader needs no more: its
 * batches are a pure function of (seed, epoch, batch index).
 */
public record TrainingState(int epochsDone, long step, List<EpochResult> history) {
    public TrainingState {
        if (epochsDone < 0 || step < 0 || history.size() != epochsDone) {
            throw new IllegalArgumentException("training state needs epochs >= 0, steps >= 0 and one history row per epoch,"
                    + " got " + epochsDone + " epochs, " + step + " steps, " + history.size() + " rows");
        }
        history = List.copyOf(history);
    }

    /** Before the first epoch. */
    public static TrainingState initial() {
        return new TrainingState(0, 0, List.of());
    }

    /** The best test accuracy so far (NaN when none was measured). */
    public double bestTestAccuracy() {
        double best = Double.NaN;
        for (EpochResult r : history) {
            if (!Double.isNaN(r.testAccuracy()) && (Double.isNaN(best) || r.testAccuracy() > best)) {
                best = r.testAccuracy();
            }
        }
        return best;
    }
}
