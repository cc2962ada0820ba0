package org.rankfold.engine.nn;

import java.util.SplittableRandom;

import org.rankfold.engine.ops.DropoutOp;
import org.rankfold.engine.tensor.Tensor;

/**
 * Inverted dropout with probability p in training mode (identity in evaluation mode). The mask comes
 * from this layer's own generator, seeded at construction, so runs with the same seed are identical.
 */
public final class Dropout extends Module {
    private final double p;
    private final SplittableRandom rng;

    public Dropout(double p, long seed) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
        this.p = p;
        this.rng = new SplittableRandom(seed);
    }

    @Override
    protected Tensor compute(Tensor x) {
        return isTraining() && p > 0 ? DropoutOp.forward(x, p, rng) : x;
    }

    /** The drop probability. */
    public double p() {
        return p;
    }

    @Override
    public String toString() {
        return "Dropout(p=" + p + ")";
    }
}
