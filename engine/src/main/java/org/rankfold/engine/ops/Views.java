package org.rankfold.engine.ops;

import org.rankfold.engine.tensor.StepArena;
import org.rankfold.engine.tensor.Tensor;

/** Shape ops: reshape (a view sharing data) and 2-D transpose (a copy, since tensors are contiguous). */
public final class Views {
    private Views() {
    }

    /** The same data with a new shape (one entry may be -1); the gradient passes through unchanged. */
    public static Tensor reshape(Tensor a, int... shape) {
        return Tensor.derived(a.data(), shape, "reshape", dout -> ElementwiseOps.accumulate(a, dout, 1f), a);
    }

    /** {@code out[j, i] = a[i, j]} for a 2-D tensor (R, C); the gradient is transposed back. */
    public static Tensor transpose(Tensor a) {
        if (a.rank() != 2) {
            throw new IllegalArgumentException("transpose needs a 2-D tensor, got shape " + java.util.Arrays.toString(a.shape()));
        }
        int r = a.dim(0);
        int c = a.dim(1);
        float[] x = a.data();
        float[] out = StepArena.floats(x.length);
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                out[j * r + i] = x[i * c + j];
            }
        }
        return Tensor.derived(out, new int[] {c, r}, "transpose", dout -> {
            if (a.requiresGrad()) {
                float[] g = a.gradForAccumulation();
                for (int i = 0; i < r; i++) {
                    for (int j = 0; j < c; j++) {
                        g[i * c + j] += dout[j * r + i];
                    }
                }
            }
        }, a);
    }
}
