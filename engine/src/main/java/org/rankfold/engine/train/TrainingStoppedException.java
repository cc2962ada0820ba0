package org.rankfold.engine.train;

import org.rankfold.engine.nn.NonFiniteException;

/**
 * Training stopped by the NaN/Inf guard: says in which epoch and batch, and which layer (or parameter)
 * produced the first non-finite value.
 */
public final class TrainingStoppedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String layer;
    private final int epoch;
    private final int batch;

    public TrainingStoppedException(int epoch, int batch, NonFiniteException cause) {
        super("training diverged in epoch " + epoch + ", batch " + batch + ": " + cause.getMessage()
                + " (try a lower learning rate)", cause);
        this.layer = cause.layer();
        this.epoch = epoch;
        this.batch = batch;
    }

    public TrainingStoppedException(int epoch, int batch, String what) {
        super("training diverged in epoch " + epoch + ", batch " + batch + ": " + what + " (try a lower learning rate)");
        this.layer = "<loss>";
        this.epoch = epoch;
        this.batch = batch;
    }

    private TrainingStoppedException(String message, int epoch, int batch, NonFiniteException cause) {
        super(message, cause);
        this.layer = cause.layer();
        this.epoch = epoch;
        this.batch = batch;
    }

    /**
     * The test pass at the end of epoch {@code epoch} met a non-finite value in its batch {@code batch} (the weights
     * the epoch's training left are not finite, or produce non-finite outputs).
     */
    public static TrainingStoppedException inEvaluation(int epoch, int batch, NonFiniteException cause) {
        return new TrainingStoppedException("training diverged in epoch " + epoch + " (its evaluation, test batch "
                + batch + "): " + cause.getMessage() + " (try a lower learning rate)", epoch, batch, cause);
    }

    /** The layer or parameter named by the guard ("&lt;loss&gt;" when only the loss was non-finite). */
    public String layer() {
        return layer;
    }

    /** Epoch (from 1) in which training stopped. */
    public int epoch() {
        return epoch;
    }

    /** Batch (from 1) in which training stopped. */
    public int batch() {
        return batch;
    }
}
