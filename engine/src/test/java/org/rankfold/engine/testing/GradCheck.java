package org.rankfold.engine.testing;

import java.util.SplittableRandom;
import java.util.function.Function;

import org.rankfold.engine.tensor.GradMode;
import org.rankfold.engine.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Gradient checker: analytic gradients from autograd against central finite differences.
 *
 * <p>The checked scalar is {@code L = sum_i y_i * gy_i} for the op's output y and a fixed random
 * upstream gradient gy (as in the golden data), so every output element matters. The engine computes y
 * in float32; L, the differences and the quotient are formed in double from the float outputs, and the
 * step actually taken is {@code (float)(x+h) - (float)(x-h)} (the float rounding of x +- h), so the only
 * float32 error left is that of y itself: about {@code eps_f32 * |y| / h} per element, against the
 * truncation error {@code h^2 |L'''| / 6}. For ops that are piecewise linear or quadratic in each input
 * (add, mul, matmul, relu, pooling, conv) the truncation term is zero.
 *
 * <p>Per element the report gives {@code |analytic - numeric| / max(|analytic|, |numeric|, floor)} with
 * {@code floor = 1e-3 * max(1, max|numeric|)}, so tiny gradients are judged on an absolute scale.
 */
public final class GradCheck {
    private GradCheck() {
    }

    /** Worst element of one check. */
    public record Report(int input, int index, double analytic, double numeric, double relativeError) {
        @Override
        public String toString() {
            return String.format("input %d element %d: analytic %.8g, numeric %.8g, relative error %.3g",
                    input, index, analytic, numeric, relativeError);
        }
    }

    /**
     * Checks d(sum y*gy)/d inputs for {@code y = f(inputs)} and fails with the worst element when its
     * relative error exceeds {@code tolerance}. Inputs are leaves; they are marked as requiring gradients.
     */
    public static Report assertGradients(String what, Function<Tensor[], Tensor> f, Tensor[] inputs,
                                         SplittableRandom rng, double h, double tolerance) {
        for (Tensor t : inputs) {
            t.requiresGrad(true);
            t.clearGrad();
        }
        Tensor y = f.apply(inputs);
        float[] gy = new float[y.size()];
        for (int i = 0; i < gy.length; i++) {
            gy[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        y.backward(gy);

        Report worst = null;
        for (int t = 0; t < inputs.length; t++) {
            float[] x = inputs[t].data();
            float[] analytic = inputs[t].grad();
            double[] numeric = new double[x.length];
            double maxNumeric = 0;
            for (int i = 0; i < x.length; i++) {
                float saved = x[i];
                float plus = (float) (saved + h);
                float minus = (float) (saved - h);
                x[i] = plus;
                double lp = loss(f, inputs, gy);
                x[i] = minus;
                double lm = loss(f, inputs, gy);
                x[i] = saved;
                numeric[i] = (lp - lm) / ((double) plus - (double) minus);
                maxNumeric = Math.max(maxNumeric, Math.abs(numeric[i]));
            }
            double floor = 1e-3 * Math.max(1, maxNumeric);
            for (int i = 0; i < x.length; i++) {
                double a = analytic == null ? 0 : analytic[i];
                double err = Math.abs(a - numeric[i]) / Math.max(Math.max(Math.abs(a), Math.abs(numeric[i])), floor);
                if (worst == null || err > worst.relativeError() || Double.isNaN(err)) {
                    worst = new Report(t, i, a, numeric[i], err);
                }
            }
        }
        if (worst != null && !(worst.relativeError() <= tolerance)) {
            fail(what + ": gradient check failed (tolerance " + tolerance + "), worst " + worst);
        }
        return worst;
    }

    private static double loss(Function<Tensor[], Tensor> f, Tensor[] inputs, float[] gy) {
        try (GradMode.Scope _ = GradMode.noGrad()) {
            float[] y = f.apply(inputs).data();
            double l = 0;
            for (int i = 0; i < y.length; i++) {
                l += (double) y[i] * gy[i];
            }
            return l;
        }
    }
}
