package org.rankfold.kernels.opencl;

/**
 * Softmax cross-entropy on device buffers with {@code softmax.cl}, as in {@code SoftmaxCrossEntropyRef}:
 * logits, logProbs, dlogits are (N, classes) row-major; labels is an int buffer of N entries in
 * [0, classes). The forward pass writes one loss per row; the mean is taken on the host
 * ({@link #meanLoss}) so that only N floats cross the bus.
 */
public final class ClSoftmaxCrossEntropy {
    private final ProgramCache programs;
    private final KernelLauncher launcher;

    public ClSoftmaxCrossEntropy(ProgramCache programs, KernelLauncher launcher) {
        this.programs = programs;
        this.launcher = launcher;
    }

    /**
     * logProbs is overwritten with log-softmax(logits), rowLoss (N floats) with
     * {@code -logProbs[i][labels[i]]} (NaN for a label outside [0, classes)).
     */
    public void forward(int n, int classes, DeviceBuffer logits, long logitsOffset, DeviceBuffer labels,
                        long labelsOffset, DeviceBuffer logProbs, long logProbsOffset, DeviceBuffer rowLoss,
                        long rowLossOffset) {
        check(n, classes);
        Checks.range("softmaxCrossEntropy logits", logits, logitsOffset, (long) n * classes);
        Checks.range("softmaxCrossEntropy labels", labels, labelsOffset, n);
        Checks.range("softmaxCrossEntropy logProbs", logProbs, logProbsOffset, (long) n * classes);
        Checks.range("softmaxCrossEntropy rowLoss", rowLoss, rowLossOffset, n);
        launcher.launch1d(programs.kernel("softmax", "", "softmax_xent_forward"), n, n, classes, logits, logitsOffset,
                labels, labelsOffset, logProbs, logProbsOffset, rowLoss, rowLossOffset);
    }

    /** {@code dlogits = scale * (exp(logProbs) - onehot(labels)) / N}; dlogits is overwritten. */
    public void backward(int n, int classes, DeviceBuffer logProbs, long logProbsOffset, DeviceBuffer labels,
                         long labelsOffset, float scale, DeviceBuffer dlogits, long dlogitsOffset) {
        check(n, classes);
        Checks.range("softmaxCrossEntropyBackward logProbs", logProbs, logProbsOffset, (long) n * classes);
        Checks.range("softmaxCrossEntropyBackward labels", labels, labelsOffset, n);
        Checks.range("softmaxCrossEntropyBackward dlogits", dlogits, dlogitsOffset, (long) n * classes);
        launcher.launch1d(programs.kernel("softmax", "", "softmax_xent_backward"), (long) n * classes, n, classes,
                logProbs, logProbsOffset, labels, labelsOffset, scale, dlogits, dlogitsOffset);
    }

    /** Reads the N row losses and returns their mean, summed in double in row order. */
    public static double meanLoss(int n, DeviceBuffer rowLoss, long rowLossOffset) {
        float[] rows = new float[n];
        rowLoss.read(rowLossOffset, rows, 0, n);
        double total = 0;
        for (float r : rows) {
            total += r;
        }
        return total / n;
    }

    private static void check(int n, int classes) {
        if (n < 1 || classes < 1) {
            throw new IllegalArgumentException("softmaxCrossEntropy: need N >= 1 and classes >= 1, got N=" + n
                    + ", classes=" + classes);
        }
    }
}
