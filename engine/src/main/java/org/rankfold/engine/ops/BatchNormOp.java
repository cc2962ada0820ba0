package org.rankfold.engine.ops;

import java.util.Arrays;

import org.rankfold.engine.tensor.StepArena;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.kernels.Backend;
import org.rankfold.kernels.Backends;

/**
 * Batch normalization over (N, H, W) for each channel of x (N, C, H, W) (Ioffe and Szegedy 2015).
 *
 * <p>Training: with m = N*H*W, mean_c and the biased variance var_c = (1/m) sum (x - mean_c)^2, both from one
 * pass that sums x and x^2 in double (float squares are exact in double, so E[x^2] - mean^2 keeps float
 * accuracy unless |mean| exceeds about 1000 standard deviations; such channels are recomputed from centred
 * values), xhat = (x - mean_c) / sqrt(var_c + eps), y = gamma_c xhat + beta_c.
 * Running statistics follow PyTorch: {@code running = (1 - momentum) running + momentum * batch}, with
 * the <em>unbiased</em> variance var_c * m / (m - 1) in the running update. Backward (eq. of the paper,
 * reduced):
 * <pre>
 *   dbeta_c  = sum dy        dgamma_c = sum dy * xhat
 *   dx       = gamma_c / sqrt(var_c + eps) * (dy - dbeta_c / m - xhat * dgamma_c / m)
 * </pre>
 * Evaluation: y = gamma_c (x - running_mean_c) / sqrt(running_var_c + eps) + beta_c, a per-channel affine
 * map whose backward is dx = dy * gamma_c / sqrt(running_var_c + eps).
 */
public final class BatchNormOp {
    /** E[x^2] / var beyond which a channel's variance is recomputed from centred values (see train). */
    static final double RECENTER_RATIO = 1 << 20;

    private BatchNormOp() {
    }

    /**
     * Training-mode forward; {@code runningMean} and {@code runningVar} (C) are updated in place. The
     * normalized input is kept for backward. Activation-sized arrays come from the {@link StepArena}.
     */
    public static Tensor train(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                               double momentum, double eps) {
        return train(x, gamma, beta, runningMean, runningVar, momentum, eps, false);
    }

    /**
     * {@link #train} followed by a ReLU, in one pass over the activations each way: forward writes
     * max(0, y) directly; backward masks the incoming gradient with the output (the ReLU's backward) inside
     * batch norm's own reductions and input-gradient pass, so the ReLU's gradient is never materialized.
     * The values are bit for bit those of {@code train(...).relu()}.
     */
    public static Tensor trainRelu(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                   double momentum, double eps) {
        return train(x, gamma, beta, runningMean, runningVar, momentum, eps, true);
    }

    private static Tensor train(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                double momentum, double eps, boolean relu) {
        check(x, gamma, beta);
        int n = x.dim(0);
        int c = x.dim(1);
        int hw = x.dim(2) * x.dim(3);
        long m = (long) n * hw;
        if (m < 2) {
            throw new IllegalArgumentException("batch norm in training mode needs more than 1 value per channel, got input "
                    + Arrays.toString(x.shape()));
        }
        Backend be = Backends.current();
        // the sums and the sums of squares in one pass over x (a dot of x with itself), accumulated in double
        double[] sums = new double[c];
        double[] sq = new double[c];
        be.channelSumsAndDots(n, c, hw, x.data(), 0, x.data(), 0, sums, sq);
        double[] mean = new double[c];
        double[] var = new double[c];
        boolean recenter = false;
        for (int ch = 0; ch < c; ch++) {
            mean[ch] = sums[ch] / m;
            double meanSquare = sq[ch] / m;
            var[ch] = Math.max(0.0, meanSquare - mean[ch] * mean[ch]);
            // E[x^2] - mean^2 loses log2(E[x^2] / var) of double's 53 bits, and the affine map of x below loses
            // float accuracy to |mean| / std: beyond 2^20 (|mean| > ~1000 std, or a constant non-zero channel)
            // the layer is centred first
            recenter |= meanSquare > var[ch] * RECENTER_RATIO;
        }
        // base: the values the output and backward are computed from, x itself or x - mean (then the mean
        // left in them is what the float mean did not remove)
        float[] base = x.data();
        double[] baseMean = mean;
        if (recenter) {
            base = StepArena.floats(x.size());
            baseMean = centre(be, n, c, hw, x.data(), mean, base, var);
        }
        double[] invStd = new double[c];
        float[] outScale = new float[c];
        float[] outShift = new float[c];
        float[] g = gamma.data();
        float[] b = beta.data();
        float[] rm = runningMean.data();
        float[] rv = runningVar.data();
        for (int ch = 0; ch < c; ch++) {
            invStd[ch] = 1.0 / Math.sqrt(var[ch] + eps);
            double k = g[ch] * invStd[ch];
            outScale[ch] = (float) k;
            outShift[ch] = (float) (b[ch] - k * baseMean[ch]);
            rm[ch] = (float) ((1 - momentum) * rm[ch] + momentum * mean[ch]);
            rv[ch] = (float) ((1 - momentum) * rv[ch] + momentum * var[ch] * m / (m - 1));
        }
        // y = gamma (x - mean) invstd + beta as one affine map of the base; backward reads the base too, which
        // is x itself (kept by the graph as this op's input) unless the layer had to be centred
        float[] out = StepArena.floats(x.size());
        if (relu) {
            be.channelAffineRelu(n, c, hw, base, 0, outScale, outShift, out, 0);
        } else {
            be.channelAffine(n, c, hw, base, 0, outScale, outShift, out, 0);
        }
        float[] xd = base;
        double[] xMean = baseMean;
        return Tensor.derived(out, x.shape(), relu ? "batchNormRelu" : "batchNorm", dout -> {
            Backend bk = Backends.current();
            double[] dbeta = new double[c];
            double[] dgamma = new double[c];
            // dgamma = sum dy * xhat = invstd (sum dy x - mean sum dy) (dy masked by the ReLU's output when fused)
            if (relu) {
                bk.channelMaskedSumsAndDots(n, c, hw, dout, 0, out, 0, xd, 0, dbeta, dgamma);
            } else {
                bk.channelSumsAndDots(n, c, hw, dout, 0, xd, 0, dbeta, dgamma);
            }
            for (int ch = 0; ch < c; ch++) {
                dgamma[ch] = invStd[ch] * (dgamma[ch] - xMean[ch] * dbeta[ch]);
            }
            if (x.requiresGrad()) {
                // dx += k (dy - dbeta/m - xhat dgamma/m) with k = gamma invstd, in one fused pass over dy and x:
                // k dy + sb x + shift with sb = -k invstd dgamma / m and shift = -k dbeta / m - sb mean
                float[] sa = new float[c];
                float[] sb = new float[c];
                float[] shift = new float[c];
                for (int ch = 0; ch < c; ch++) {
                    double k = (double) g[ch] * invStd[ch];
                    double slope = -k * invStd[ch] * dgamma[ch] / m;
                    sa[ch] = (float) k;
                    sb[ch] = (float) slope;
                    shift[ch] = (float) (-k * dbeta[ch] / m - slope * xMean[ch]);
                }
                // usually batch norm is the only reader of x (a convolution's output): then its gradient is
                // written here first, stored rather than added into a zeroed buffer
                boolean first = !x.hasGrad();
                float[] dx = first ? x.gradForOverwrite() : x.gradForAccumulation();
                if (relu && first) {
                    bk.channelMaskedCombineStore(n, c, hw, dout, 0, out, 0, sa, xd, 0, sb, shift, dx, 0);
                } else if (relu) {
                    bk.channelMaskedCombineAccumulate(n, c, hw, dout, 0, out, 0, sa, xd, 0, sb, shift, dx, 0);
                } else if (first) {
                    bk.channelCombineStore(n, c, hw, dout, 0, sa, xd, 0, sb, shift, dx, 0);
                } else {
                    bk.channelCombineAccumulate(n, c, hw, dout, 0, sa, xd, 0, sb, shift, dx, 0);
                }
            }
            addInto(gamma, dgamma);
            addInto(beta, dbeta);
        }, x, gamma, beta);
    }

    /**
     * Centres every channel, {@code centred = x - (float) mean}, and replaces var with the two-pass variance of
     * the centred values; returns the centred values' own (tiny) means, what the float mean left over.
     */
    private static double[] centre(Backend be, int n, int c, int hw, float[] x, double[] mean, float[] centred,
                                   double[] var) {
        float[] negMean = new float[c];
        for (int ch = 0; ch < c; ch++) {
            negMean[ch] = (float) -mean[ch];
        }
        double[] sq = new double[c];
        be.channelCenterSquares(n, c, hw, x, 0, negMean, centred, 0, sq);
        long m = (long) n * hw;
        double[] left = new double[c];
        for (int ch = 0; ch < c; ch++) {
            left[ch] = mean[ch] + negMean[ch];
            var[ch] = Math.max(0.0, sq[ch] / m - left[ch] * left[ch]);
        }
        return left;
    }

    /** Evaluation-mode forward with the running statistics (not modified). */
    public static Tensor eval(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, double eps) {
        return eval(x, gamma, beta, runningMean, runningVar, eps, false);
    }

    /** {@link #eval} followed by a ReLU, the forward in one pass; bit for bit {@code eval(...).relu()}. */
    public static Tensor evalRelu(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                  double eps) {
        return eval(x, gamma, beta, runningMean, runningVar, eps, true);
    }

    private static Tensor eval(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, double eps,
                               boolean relu) {
        check(x, gamma, beta);
        int n = x.dim(0);
        int c = x.dim(1);
        int hw = x.dim(2) * x.dim(3);
        float[] scale = new float[c];
        float[] shift = new float[c];
        float[] invStd = new float[c];
        for (int ch = 0; ch < c; ch++) {
            invStd[ch] = (float) (1.0 / Math.sqrt(runningVar.data()[ch] + eps));
            scale[ch] = gamma.data()[ch] * invStd[ch];
            shift[ch] = beta.data()[ch] - runningMean.data()[ch] * scale[ch];
        }
        Backend be = Backends.current();
        float[] out = StepArena.floats(x.size());
        if (relu) {
            be.channelAffineRelu(n, c, hw, x.data(), 0, scale, shift, out, 0);
        } else {
            be.channelAffine(n, c, hw, x.data(), 0, scale, shift, out, 0);
        }
        float[] mean = runningMean.data().clone();
        return Tensor.derived(out, x.shape(), relu ? "batchNormEvalRelu" : "batchNormEval", gradOut -> {
            Backend bk = Backends.current();
            float[] dout = gradOut;
            if (relu) {
                // the ReLU's backward first (rare: gradients through an evaluation-mode layer)
                dout = StepArena.floats(x.size());
                bk.fill(dout.length, 0f, dout, 0);
                bk.reluBackward(dout.length, out, 0, gradOut, 0, dout, 0);
            }
            double[] dbeta = new double[c];
            bk.channelSums(n, c, hw, dout, 0, dbeta);
            if (gamma.requiresGrad()) {
                // dgamma = sum dy (x - mean) invstd = invstd (sum dy x - mean sum dy)
                double[] dot = new double[c];
                bk.channelDots(n, c, hw, dout, 0, x.data(), 0, dot);
                for (int ch = 0; ch < c; ch++) {
                    dot[ch] = invStd[ch] * (dot[ch] - mean[ch] * dbeta[ch]);
                }
                addInto(gamma, dot);
            }
            if (x.requiresGrad()) {
                float[] t = StepArena.floats(x.size());
                bk.channelAffine(n, c, hw, dout, 0, scale, null, t, 0);
                bk.addInPlace(x.size(), t, 0, x.gradForAccumulation(), 0);
            }
            addInto(beta, dbeta);
        }, x, gamma, beta);
    }

    private static void addInto(Tensor t, double[] values) {
        if (t.requiresGrad()) {
            float[] g = t.gradForAccumulation();
            for (int i = 0; i < values.length; i++) {
                g[i] += (float) values[i];
            }
        }
    }

    private static void check(Tensor x, Tensor gamma, Tensor beta) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("batch norm needs x (N, C, H, W), got " + Arrays.toString(x.shape()));
        }
        int c = x.dim(1);
        if (gamma.size() != c || beta.size() != c) {
            throw new IllegalArgumentException("batch norm: gamma/beta must have " + c + " elements, got "
                    + gamma.size() + "/" + beta.size());
        }
    }
}
