package org.rankfold.engine.ops;

import java.util.Arrays;

import org.rankfold.engine.tensor.Tensor;

/**
 * Log-softmax over the last axis of a 2-D tensor (N, K), negative log-likelihood with mean reduction,
 * and cross-entropy as their composition (PyTorch's {@code F.cross_entropy(logits, labels)}).
 *
 * <p>log_softmax(x)_ik = x_ik - m_i - log(sum_j exp(x_ij - m_i)) with the row maximum m_i subtracted
 * first, so large logits do not overflow; the log-sum-exp is accumulated in double.
 */
public final class CrossEntropy {
    private CrossEntropy() {
    }

    /** Row-wise log-softmax; backward: dx_ik = dy_ik - softmax_ik * sum_j dy_ij. */
    public static Tensor logSoftmax(Tensor x) {
        requireMatrix(x, "logSoftmax");
        int n = x.dim(0);
        int k = x.dim(1);
        float[] in = x.data();
        float[] out = new float[in.length];
        for (int i = 0; i < n; i++) {
            int row = i * k;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, in[row + j]);
            }
            double s = 0;
            for (int j = 0; j < k; j++) {
                s += Math.exp((double) in[row + j] - max);
            }
            double lse = max + Math.log(s);
            for (int j = 0; j < k; j++) {
                out[row + j] = (float) (in[row + j] - lse);
            }
        }
        return Tensor.derived(out, new int[] {n, k}, "logSoftmax", dout -> {
            if (!x.requiresGrad()) {
                return;
            }
            float[] g = x.gradForAccumulation();
            for (int i = 0; i < n; i++) {
                int row = i * k;
                double sum = 0;
                for (int j = 0; j < k; j++) {
                    sum += dout[row + j];
                }
                for (int j = 0; j < k; j++) {
                    g[row + j] += (float) (dout[row + j] - Math.exp(out[row + j]) * sum);
                }
            }
        }, x);
    }

    /** {@code -(1/N) sum_i logp[i, label_i]}, shape []; backward: dlogp[i, label_i] -= dout / N. */
    public static Tensor nllLoss(Tensor logp, int[] labels) {
        requireMatrix(logp, "nllLoss");
        int n = logp.dim(0);
        int k = logp.dim(1);
        if (labels.length != n) {
            throw new IllegalArgumentException("nllLoss: " + labels.length + " labels for " + n + " rows");
        }
        if (n == 0) {
            throw new IllegalArgumentException("nllLoss: empty batch");
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException("nllLoss: label[" + i + "] = " + labels[i] + " is outside [0, " + k + ")");
            }
        }
        int[] y = labels.clone();
        float[] lp = logp.data();
        double s = 0;
        for (int i = 0; i < n; i++) {
            s -= lp[i * k + y[i]];
        }
        return Tensor.derived(new float[] {(float) (s / n)}, new int[0], "nllLoss", dout -> {
            if (logp.requiresGrad()) {
                float[] g = logp.gradForAccumulation();
                float d = dout[0] / n;
                for (int i = 0; i < n; i++) {
                    g[i * k + y[i]] -= d;
                }
            }
        }, logp);
    }

    /** Mean cross-entropy of logits (N, K) against labels in [0, K): {@code nllLoss(logSoftmax(x), labels)}. */
    public static Tensor crossEntropy(Tensor logits, int[] labels) {
        return nllLoss(logSoftmax(logits), labels);
    }

    /** Labels stored as int64 (NumPy) to int, checking the range. */
    public static int[] toIntLabels(long[] labels) {
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("label[" + i + "] = " + labels[i] + " is not a class index");
            }
            out[i] = (int) labels[i];
        }
        return out;
    }

    private static void requireMatrix(Tensor x, String op) {
        if (x.rank() != 2) {
            throw new IllegalArgumentException(op + " needs a 2-D tensor (N, K), got shape " + Arrays.toString(x.shape()));
        }
    }
}
