package org.rankfold.kernels.ref;

/**
 * Scalar softmax cross-entropy with mean reduction. logits, logProbs and dlogits are (N, classes)
 * row-major; labels[i] is in [0, classes).
 *
 * <p>{@code logProbs[i][k] = z_ik - m_i - log(sum_k exp(z_ik - m_i))} with {@code m_i = max_k z_ik}
 * (subtracting the maximum keeps exp from overflowing on large logits);
 * {@code loss = -(1/N) sum_i logProbs[i][labels[i]]}; {@code dloss/dz_ik = (softmax_ik - [k == labels[i]]) / N}.
 */
public final class SoftmaxCrossEntropyRef {
    private SoftmaxCrossEntropyRef() {
    }

    /** logProbs is overwritten; returns the mean negative log-likelihood, accumulated in double. */
    public static double forward(int n, int classes, float[] logits, int logitsOffset, int[] labels,
                                 float[] logProbs, int logProbsOffset) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            int label = checkLabel(labels, i, classes);
            int row = i * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                max = Math.max(max, logits[logitsOffset + row + k]);
            }
            double sumExp = 0;
            for (int k = 0; k < classes; k++) {
                sumExp += Math.exp(logits[logitsOffset + row + k] - max);
            }
            double logSum = max + Math.log(sumExp);
            for (int k = 0; k < classes; k++) {
                logProbs[logProbsOffset + row + k] = (float) (logits[logitsOffset + row + k] - logSum);
            }
            total -= logits[logitsOffset + row + label] - logSum;
        }
        return total / n;
    }

    /** {@code dlogits[i][k] = scale * (exp(logProbs[i][k]) - [k == labels[i]]) / N}; dlogits is overwritten. */
    public static void backward(int n, int classes, float[] logProbs, int logProbsOffset, int[] labels, float scale,
                                float[] dlogits, int dlogitsOffset) {
        double factor = (double) scale / n;
        for (int i = 0; i < n; i++) {
            int label = checkLabel(labels, i, classes);
            int row = i * classes;
            for (int k = 0; k < classes; k++) {
                double p = Math.exp(logProbs[logProbsOffset + row + k]);
                dlogits[dlogitsOffset + row + k] = (float) (factor * (p - (k == label ? 1 : 0)));
            }
        }
    }

    static int checkLabel(int[] labels, int i, int classes) {
        int label = labels[i];
        if (label < 0 || label >= classes) {
            throw new IllegalArgumentException("softmaxCrossEntropy: labels[" + i + "] = " + label
                    + " outside [0, " + classes + ")");
        }
        return label;
    }
}
