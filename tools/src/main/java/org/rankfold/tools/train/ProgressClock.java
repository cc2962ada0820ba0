package org.rankfold.tools.train;

import org.rankfold.engine.train.BatchProgress;

/**
 * The time estimates of a progress line: the rest of the running epoch phase and the rest of a run of
 * several epochs. The first {@value #WARMUP_BATCHES} batches of a phase are left out of its rate (they pay for
 * JIT compilation and first-touch memory, several times a steady batch), so the estimate does not start
 * far too high; after them the rate is the mean time per batch since the warm-up, which steadies as batches
 * accumulate. Before a rate exists an estimate is NaN (shown as "--").
 */
public final class ProgressClock {
    /** Batches of each phase left out of its rate. */
    public static final int WARMUP_BATCHES = 2;

    private int warmBatch = -1;
    private double warmSeconds;
    private double lastEpochSeconds = Double.NaN;
    private double evalSecondsPerEpoch = Double.NaN;
    private double trainEpochProjection = Double.NaN;
    private BatchProgress.Phase phase;
    private int epoch;

    /** Seconds left in the running phase of the epoch after {@code p}, NaN while warming up. */
    public double phaseEta(BatchProgress p) {
        if (p.phase() != phase || p.epoch() != epoch || p.batch() < warmBatch) {
            phase = p.phase();
            epoch = p.epoch();
            warmBatch = -1;
        }
        int warm = Math.min(WARMUP_BATCHES, Math.max(0, p.batches() - 1));
        if (warmBatch < 0 && p.batch() >= warm) {
            warmBatch = p.batch();
            warmSeconds = p.elapsedSeconds();
        }
        if (warmBatch < 0 || p.batch() <= warmBatch) {
            return p.batch() >= p.batches() ? 0 : Double.NaN;
        }
        double perBatch = (p.elapsedSeconds() - warmSeconds) / (p.batch() - warmBatch);
        if (p.phase() == BatchProgress.Phase.TRAIN) {
            trainEpochProjection = p.elapsedSeconds() + perBatch * (p.batches() - p.batch());
        }
        return perBatch * (p.batches() - p.batch());
    }

    /**
     * Seconds left in a run of {@code p.epochs()} epochs: the rest of this epoch (its phase, and evaluation after
     * training at the last epoch's evaluation time) plus the remaining epochs at the last finished epoch's
     * duration (during the first epoch: its projected training time). NaN while no estimate exists.
     */
    public double runEta(BatchProgress p, double phaseEta) {
        double perEpoch = Double.isNaN(lastEpochSeconds) ? trainEpochProjection : lastEpochSeconds;
        double evalLeft = p.phase() == BatchProgress.Phase.TRAIN && !Double.isNaN(evalSecondsPerEpoch) ? evalSecondsPerEpoch : 0;
        return phaseEta + evalLeft + (p.epochs() - p.epoch()) * perEpoch;
    }

    /** An epoch finished in {@code seconds}, {@code evalSeconds} of them evaluating (NaN when unknown). */
    public void epochFinished(double seconds, double evalSeconds) {
        lastEpochSeconds = seconds;
        if (!Double.isNaN(evalSeconds)) {
            evalSecondsPerEpoch = evalSeconds;
        }
    }
}
