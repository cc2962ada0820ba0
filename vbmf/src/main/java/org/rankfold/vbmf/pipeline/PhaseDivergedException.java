package org.rankfold.vbmf.pipeline;

import java.nio.file.Path;

/**
 * A compression phase stopped on a NaN or infinity (training, fine-tuning or an evaluation): the message is
 * the one line a user sees, naming the phase, the epoch and batch, the layer, and the last good checkpoint of
 * the run (what {@code --resume} would continue from, or what to inspect). The run's records are left as they
 * were after the last completed epoch or phase.
 */
public final class PhaseDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String phase;
    private final transient Path lastGoodCheckpoint;

    /**
     * @param what               where and why it stopped ("training diverged in epoch 2, batch 5: ...")
     * @param lastGoodCheckpoint the newest checkpoint that holds finite weights, or null when the run has none yet
     */
    public PhaseDivergedException(String phase, String what, Path lastGoodCheckpoint, Throwable cause) {
        super("phase " + phase + ": " + what + "; last good checkpoint: "
                + (lastGoodCheckpoint == null ? "none yet (the run's first phase)" : lastGoodCheckpoint.toString()), cause);
        this.phase = phase;
        this.lastGoodCheckpoint = lastGoodCheckpoint;
    }

    /** The phase that stopped ("baseline", "full/train", "plain/eval", ...). */
    public String phase() {
        return phase;
    }

    /** The newest checkpoint with finite weights, or null. */
    public Path lastGoodCheckpoint() {
        return lastGoodCheckpoint;
    }
}
