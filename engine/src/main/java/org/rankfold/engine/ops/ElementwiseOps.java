package org.rankfold.engine.ops;

import java.util.Arrays;

import org.rankfold.engine.tensor.StepArena;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.kernels.Backend;
import org.rankfold.kernels.Backends;

/**
 * Elementwise ops with their backward side by side: add, sub, mul, scalar multiply, relu.
 *
 * <p>Broadcasting is limited to what layers need: the second operand {@code b} either has the shape of
 * {@code a}, or the shape of a trailing part of it (e.g. a bias vector [F] against a batch [N, F]); then
 * {@code a} is read as (outer, inner) with {@code inner = b.size()} and {@code b} repeats over outer.
 * The output has {@code a}'s shape; the gradient of a broadcast {@code b} is summed over outer.
 */
public final class ElementwiseOps {
    private ElementwiseOps() {
    }

    /** {@code a + b}. */
    public static Tensor add(Tensor a, Tensor b) {
        int inner = broadcastInner(a, b, "add");
        float[] x = a.data();
        float[] y = b.data();
        float[] out = StepArena.floats(x.length);
        for (int i = 0; i < x.length; i += inner) {
            for (int j = 0; j < inner; j++) {
                out[i + j] = x[i + j] + y[j];
            }
        }
        return Tensor.derived(out, a.shape(), "add", dout -> {
            accumulate(a, dout, 1f);
            reduceInto(b, dout, inner, 1f);
        }, a, b);
    }

    /** {@code a - b}. */
    public static Tensor sub(Tensor a, Tensor b) {
        int inner = broadcastInner(a, b, "sub");
        float[] x = a.data();
        float[] y = b.data();
        float[] out = StepArena.floats(x.length);
        for (int i = 0; i < x.length; i += inner) {
            for (int j = 0; j < inner; j++) {
                out[i + j] = x[i + j] - y[j];
            }
        }
        return Tensor.derived(out, a.shape(), "sub", dout -> {
            accumulate(a, dout, 1f);
            reduceInto(b, dout, inner, -1f);
        }, a, b);
    }

    /** {@code a * b} elementwise. d a = dout * b, d b = dout * a (summed over broadcast rows). */
    public static Tensor mul(Tensor a, Tensor b) {
        int inner = broadcastInner(a, b, "mul");
        float[] x = a.data();
        float[] y = b.data();
        float[] out = StepArena.floats(x.length);
        for (int i = 0; i < x.length; i += inner) {
            for (int j = 0; j < inner; j++) {
                out[i + j] = x[i + j] * y[j];
            }
        }
        return Tensor.derived(out, a.shape(), "mul", dout -> {
            if (a.requiresGrad()) {
                float[] ga = a.gradForAccumulation();
                for (int i = 0; i < x.length; i += inner) {
                    for (int j = 0; j < inner; j++) {
                        ga[i + j] += dout[i + j] * y[j];
                    }
                }
            }
            if (b.requiresGrad()) {
                float[] gb = b.gradForAccumulation();
                // Sum over rows in double: many rows of float products lose digits otherwise.
                double[] acc = new double[inner];
                for (int i = 0; i < x.length; i += inner) {
                    for (int j = 0; j < inner; j++) {
                        acc[j] += (double) dout[i + j] * x[i + j];
                    }
                }
                for (int j = 0; j < inner; j++) {
                    gb[j] += (float) acc[j];
                }
            }
        }, a, b);
    }

    /** {@code s * a}. */
    public static Tensor scale(Tensor a, float s) {
        float[] x = a.data();
        float[] out = StepArena.floats(x.length);
        for (int i = 0; i < x.length; i++) {
            out[i] = s * x[i];
        }
        return Tensor.derived(out, a.shape(), "scale", dout -> accumulate(a, dout, s), a);
    }

    /** max(a, 0) on the backend; the gradient is 0 where a <= 0 (PyTorch: 0 at a == 0). */
    public static Tensor relu(Tensor a) {
        float[] x = a.data();
        float[] out = StepArena.floats(x.length);
        Backends.current().relu(x.length, x, 0, out, 0);
        return Tensor.derived(out, a.shape(), "relu", dout -> {
            if (a.requiresGrad()) {
                reluBackwardInto(a, x, dout);
            }
        }, a);
    }

    /**
     * {@code max(0, a + b)} for a and b of the same shape (a residual block's output) as one op: one pass
     * forward, and backward passes dout masked by the output straight into both inputs' gradients, without
     * the ReLU's own gradient buffer. Equal to {@code add(a, b).relu()} (bit for bit while the gradients it
     * accumulates into hold no -0).
     */
    public static Tensor addRelu(Tensor a, Tensor b) {
        if (!a.sameShape(b)) {
            throw new IllegalArgumentException("addRelu needs equal shapes, got " + Arrays.toString(a.shape())
                    + " and " + Arrays.toString(b.shape()));
        }
        int len = a.size();
        float[] out = StepArena.floats(len);
        Backends.current().addRelu(len, a.data(), 0, b.data(), 0, out, 0);
        return Tensor.derived(out, a.shape(), "addRelu", dout -> {
            if (a.requiresGrad()) {
                reluBackwardInto(a, out, dout);
            }
            if (b.requiresGrad()) {
                reluBackwardInto(b, out, dout);
            }
        }, a, b);
    }

    /**
     * a's gradient += dout where mask > 0: stored when it is a's first contribution (a residual block's
     * branch has no other reader), added otherwise.
     */
    private static void reluBackwardInto(Tensor a, float[] mask, float[] dout) {
        Backend bk = Backends.current();
        if (a.hasGrad()) {
            bk.reluBackward(mask.length, mask, 0, dout, 0, a.gradForAccumulation(), 0);
        } else {
            bk.reluBackwardStore(mask.length, mask, 0, dout, 0, a.gradForOverwrite(), 0);
        }
    }

    /** {@code a^p} elementwise; d a = dout * p * a^(p-1). For p < 1 the input must be positive. */
    public static Tensor pow(Tensor a, double p) {
        float[] x = a.data();
        float[] out = StepArena.floats(x.length);
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) Math.pow(x[i], p);
        }
        return Tensor.derived(out, a.shape(), "pow", dout -> {
            if (a.requiresGrad()) {
                float[] g = a.gradForAccumulation();
                for (int i = 0; i < x.length; i++) {
                    g[i] += (float) (dout[i] * p * Math.pow(x[i], p - 1));
                }
            }
        }, a);
    }

    /** {@code t.grad += s * dout} when t requires grad. */
    static void accumulate(Tensor t, float[] dout, float s) {
        if (!t.requiresGrad()) {
            return;
        }
        float[] g = t.gradForAccumulation();
        if (s == 1f) {
            Backends.current().addInPlace(g.length, dout, 0, g, 0);
        } else {
            Backends.current().axpy(g.length, s, dout, 0, g, 0);
        }
    }

    /** {@code b.grad[j] += s * sum_rows dout[row, j]} for a b broadcast over rows of width inner. */
    private static void reduceInto(Tensor b, float[] dout, int inner, float s) {
        if (!b.requiresGrad()) {
            return;
        }
        float[] g = b.gradForAccumulation();
        if (inner == dout.length) {
            accumulate(b, dout, s);
            return;
        }
        double[] acc = new double[inner];
        for (int i = 0; i < dout.length; i += inner) {
            for (int j = 0; j < inner; j++) {
                acc[j] += dout[i + j];
            }
        }
        for (int j = 0; j < inner; j++) {
            g[j] += (float) (s * acc[j]);
        }
    }

    /** Width of the broadcast rows: b's size, after checking that b's shape is a trailing part of a's. */
    static int broadcastInner(Tensor a, Tensor b, String op) {
        int[] as = a.shape();
        int[] bs = b.shape();
        boolean ok = bs.length <= as.length
                && Arrays.equals(bs, Arrays.copyOfRange(as, as.length - bs.length, as.length));
        if (!ok) {
            throw new IllegalArgumentException(op + ": shape " + Arrays.toString(bs) + " does not match or broadcast to "
                    + Arrays.toString(as) + " (the second operand must equal the trailing dimensions of the first)");
        }
        if (b.size() == 0) {
            throw new IllegalArgumentException(op + ": empty operand");
        }
        return b.size();
    }
}
