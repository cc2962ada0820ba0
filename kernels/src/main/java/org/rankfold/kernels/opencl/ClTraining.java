package org.rankfold.kernels.opencl;

import org.rankfold.kernels.Conv2dGeometry;

/**
 * The ops of device-resident training with {@code training.cl}: batched im2col/col2im, the axis swap
 * between GEMM and activation layouts, ReLU/residual/dropout element-wise steps that overwrite their
 * output, and BatchNorm's per-channel steps. Buffers start at element 0 unless an offset is given;
 * outputs are overwritten. Per-channel sums and dots come from {@link ClChannels}.
 */
public final class ClTraining {
    private static final String SOURCE = "training";
    private final ProgramCache programs;
    private final KernelLauncher launcher;

    public ClTraining(ProgramCache programs, KernelLauncher launcher) {
        this.programs = programs;
        this.launcher = launcher;
    }

    /**
     * x (n, C, H, W) at xOffset; cols (C*KH*KW, n*OH*OW) at colsOffset is overwritten, column
     * {@code i*OH*OW + oh*OW + ow} holding image i's window (zero where it reads padding).
     */
    public void im2colBatched(Conv2dGeometry g, int n, DeviceBuffer x, long xOffset, DeviceBuffer cols, long colsOffset) {
        Checks.sizes("im2colBatched images", n);
        Checks.range("im2colBatched x", x, xOffset, (long) n * g.inputSize());
        long total = (long) g.colRows() * g.colCols() * n;
        Checks.range("im2colBatched cols", cols, colsOffset, total);
        launcher.launch1d(kernel("im2col_batched"), total, withGeometry(n, x, xOffset, cols, colsOffset, g));
    }

    /** As {@link #im2colBatched} but transposed: colsT (n*OH*OW, C*KH*KW) at colsOffset is overwritten. */
    public void im2colBatchedTransposed(Conv2dGeometry g, int n, DeviceBuffer x, long xOffset, DeviceBuffer colsT,
                                        long colsOffset) {
        Checks.sizes("im2colBatchedTransposed images", n);
        Checks.range("im2colBatchedTransposed x", x, xOffset, (long) n * g.inputSize());
        long total = (long) g.colRows() * g.colCols() * n;
        Checks.range("im2colBatchedTransposed cols", colsT, colsOffset, total);
        launcher.launch1d(kernel("im2col_batched_t"), total, withGeometry(n, x, xOffset, colsT, colsOffset, g));
    }

    /** The adjoint of {@link #im2colBatched}: dx (n, C, H, W) at dxOffset is overwritten. */
    public void col2imBatched(Conv2dGeometry g, int n, DeviceBuffer cols, long colsOffset, DeviceBuffer dx, long dxOffset) {
        Checks.sizes("col2imBatched images", n);
        Checks.range("col2imBatched cols", cols, colsOffset, (long) g.colRows() * g.colCols() * n);
        long total = (long) n * g.inputSize();
        Checks.range("col2imBatched dx", dx, dxOffset, total);
        launcher.launch1d(kernel("col2im_batched"), total, withGeometry(n, cols, colsOffset, dx, dxOffset, g));
    }

    /** in (a, b, p) at inOffset -> out (b, a, p) at outOffset, overwritten. */
    public void swap01(int a, int b, int p, DeviceBuffer in, long inOffset, DeviceBuffer out, long outOffset) {
        Checks.sizes("swap01", a, b, p);
        long total = (long) a * b * p;
        Checks.range("swap01 in", in, inOffset, total);
        Checks.range("swap01 out", out, outOffset, total);
        launcher.launch1d(kernel("swap01"), total, a, b, p, in, inOffset, out, outOffset);
    }

    /** {@code dx = y > 0 ? dy : 0}, y the ReLU's output; dx is overwritten. */
    public void reluGrad(long n, DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx) {
        elementwise("reluGrad", n, y, dy, dx);
        launcher.launch1d(kernel("relu_grad"), n, n, y, dy, dx);
    }

    /** {@code out = max(0, a + b)}; out may be a or b. */
    public void addRelu(long n, DeviceBuffer a, DeviceBuffer b, DeviceBuffer out) {
        elementwise("addRelu", n, a, b, out);
        launcher.launch1d(kernel("add_relu"), n, n, a, b, out);
    }

    /** {@code out = a + b}; out may be a or b. */
    public void add(long n, DeviceBuffer a, DeviceBuffer b, DeviceBuffer out) {
        elementwise("add", n, a, b, out);
        launcher.launch1d(kernel("add"), n, n, a, b, out);
    }

    /** {@code out = a * b}; out may be a or b. */
    public void mul(long n, DeviceBuffer a, DeviceBuffer b, DeviceBuffer out) {
        elementwise("mul", n, a, b, out);
        launcher.launch1d(kernel("mul"), n, n, a, b, out);
    }

    /**
     * From per-channel sums of m values: {@code negMean = -sums/m} (overwritten) and the running mean
     * updated in place, {@code (1 - momentum) * running + momentum * sums/m}.
     */
    public void batchNormMean(int c, long m, float momentum, DeviceBuffer sums, DeviceBuffer negMean,
                              DeviceBuffer runningMean) {
        perChannel("batchNormMean", c, sums, negMean, runningMean);
        launcher.launch1d(kernel("bn_mean"), c, c, (float) m, momentum, sums, negMean, runningMean);
    }

    /**
     * From per-channel sums of squared deviations: {@code invStd = 1/sqrt(sq/m + eps)} (overwritten) and
     * the running variance updated in place with the unbiased {@code sq/(m-1)}.
     */
    public void batchNormInvStd(int c, long m, float momentum, float eps, DeviceBuffer sq, DeviceBuffer invStd,
                                DeviceBuffer runningVar) {
        perChannel("batchNormInvStd", c, sq, invStd, runningVar);
        launcher.launch1d(kernel("bn_invstd"), c, c, (float) m, momentum, eps, sq, invStd, runningVar);
    }

    /**
     * dy, xhat, dx (n, C, HW): {@code dx = gamma*invStd*(dy - dbeta/m - xhat*dgamma/m)} with m = n*HW;
     * gamma, invStd, dgamma, dbeta have C floats. dx is overwritten.
     */
    public void batchNormBackward(int n, int c, int hw, DeviceBuffer dy, DeviceBuffer xhat, DeviceBuffer gamma,
                                  DeviceBuffer invStd, DeviceBuffer dgamma, DeviceBuffer dbeta, DeviceBuffer dx) {
        long len = ClElementwise.channelLayout("batchNormBackward", n, c, hw);
        elementwise("batchNormBackward", len, dy, xhat, dx);
        perChannel("batchNormBackward", c, gamma, invStd, dgamma);
        Checks.range("batchNormBackward dbeta", dbeta, 0, c);
        launcher.launch1d(kernel("bn_backward_dx"), len, len, c, hw, (float) ((long) n * hw), dy, xhat, gamma, invStd,
                dgamma, dbeta, dx);
    }

    /** scale = gamma/sqrt(runningVar + eps), shift = beta - runningMean*scale (C floats each, overwritten). */
    public void batchNormEvalCoefficients(int c, float eps, DeviceBuffer gamma, DeviceBuffer beta,
                                          DeviceBuffer runningMean, DeviceBuffer runningVar, DeviceBuffer scale,
                                          DeviceBuffer shift) {
        perChannel("batchNormEvalCoefficients", c, gamma, beta, runningMean);
        perChannel("batchNormEvalCoefficients", c, runningVar, scale, shift);
        launcher.launch1d(kernel("bn_eval_coeffs"), c, c, eps, gamma, beta, runningMean, runningVar, scale, shift);
    }

    private ClKernel kernel(String name) {
        return programs.kernel(SOURCE, "", name);
    }

    private static void elementwise(String what, long n, DeviceBuffer a, DeviceBuffer b, DeviceBuffer out) {
        Checks.sizes(what, n);
        Checks.range(what + " first input", a, 0, n);
        Checks.range(what + " second input", b, 0, n);
        Checks.range(what + " output", out, 0, n);
    }

    private static void perChannel(String what, int c, DeviceBuffer... buffers) {
        Checks.sizes(what, c);
        for (DeviceBuffer b : buffers) {
            Checks.range(what + " per-channel buffer", b, 0, c);
        }
    }

    private static Object[] withGeometry(int n, DeviceBuffer in, long inOffset, DeviceBuffer out, long outOffset,
                                         Conv2dGeometry g) {
        return new Object[] {n, in, inOffset, out, outOffset, g.channels(), g.height(), g.width(), g.kernelH(),
                g.kernelW(), g.strideH(), g.strideW(), g.padH(), g.padW(), g.dilationH(), g.dilationW(),
                g.outHeight(), g.outWidth()};
    }
}
