package org.rankfold.engine.ops;

import org.rankfold.engine.tensor.Tensor;

/** Full reductions to a scalar (shape []): sum and mean. Accumulated in double for accuracy. */
public final class Reductions {
    private Reductions() {
    }

    /** {@code sum_i a_i}; d a_i = dout. */
    public static Tensor sum(Tensor a) {
        double s = 0;
        for (float v : a.data()) {
            s += v;
        }
        return Tensor.derived(new float[] {(float) s}, new int[0], "sum", dout -> fill(a, dout[0]), a);
    }

    /** {@code (1/n) sum_i a_i}; d a_i = dout / n. */
    public static Tensor mean(Tensor a) {
        int n = a.size();
        if (n == 0) {
            throw new IllegalArgumentException("mean of an empty tensor");
        }
        double s = 0;
        for (float v : a.data()) {
            s += v;
        }
        return Tensor.derived(new float[] {(float) (s / n)}, new int[0], "mean", dout -> fill(a, dout[0] / n), a);
    }

    private static void fill(Tensor a, float value) {
        if (a.requiresGrad()) {
            float[] g = a.gradForAccumulation();
            for (int i = 0; i < g.length; i++) {
                g[i] += value;
            }
        }
    }
}
