package org.rankfold.engine.ops;

import java.util.SplittableRandom;

import org.rankfold.engine.tensor.StepArena;
import org.rankfold.engine.tensor.Tensor;

/**
 * Inverted dropout (Srivastava et al. 2014, as in PyTorch): each element is kept with probability
 * 1 - p and scaled by 1 / (1 - p), so evaluation needs no rescaling; the same mask scales the gradient.
 */
public final class DropoutOp {
    private DropoutOp() {
    }

    /** Draws the mask from {@code rng} (one draw per element, in order). */
    public static Tensor forward(Tensor x, double p, SplittableRandom rng) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
        float keepScale = (float) (1.0 / (1.0 - p));
        float[] mask = StepArena.floats(x.size());
        for (int i = 0; i < mask.length; i++) {
            mask[i] = rng.nextDouble() >= p ? keepScale : 0f;
        }
        return x.mul(Tensor.wrap(mask, x.shape()));
    }
}
