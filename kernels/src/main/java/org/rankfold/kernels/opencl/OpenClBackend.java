package org.rankfold.kernels.opencl;

import org.rankfold.kernels.Backend;
import org.rankfold.kernels.Conv2dGeometry;
import org.rankfold.kernels.GemmArguments;
import org.rankfold.kernels.Transpose;

/**
 * The {@link Backend} on an OpenCL device, for host arrays: every call uploads its inputs (and any
 * output it accumulates into, or whose gaps between rows must survive), runs the device op and reads the
 * outputs back. That is correct but pays two copies per call; it exists so that everything written
 * against {@link Backend} runs on OpenCL unchanged, and as the oracle-checked path for the device ops.
 *
 * <p><b>The plan for resident tensors.</b> The ops themselves live on {@link #runtime()}, on
 * {@link DeviceBuffer}s with element offsets (same argument order and semantics as here). An engine
 * that trains on OpenCL keeps each tensor's storage in a {@code DeviceBuffer} allocated once (weights,
 * gradients, momentum, activations from a reusable workspace), calls the runtime's ops directly, and
 * crosses the bus only for the batch going in (images, labels) and the metrics coming out (the per-row
 * losses, accuracy counts). The ops enqueue on one in-order queue and do not block; reads block.
 *
 * <p>Host arrays are indexed by int; device buffers by long. {@link #threads()} is 1: host threads do
 * not split the work, the device does.
 */
public final class OpenClBackend implements Backend, AutoCloseable {
    private final OpenClRuntime rt;
    private final boolean ownsRuntime;

    /** A backend that owns the runtime: {@link #close()} closes it. */
    public OpenClBackend(OpenClRuntime runtime) {
        this(runtime, true);
    }

    private OpenClBackend(OpenClRuntime runtime, boolean ownsRuntime) {
        this.rt = runtime;
        this.ownsRuntime = ownsRuntime;
    }

    /** A backend on a runtime that someone else owns and closes; {@link #close()} leaves it open. */
    public static OpenClBackend borrowing(OpenClRuntime runtime) {
        return new OpenClBackend(runtime, false);
    }

    /** The device-buffer API (ops on {@link DeviceBuffer}s) of this backend's device. */
    public OpenClRuntime runtime() {
        return rt;
    }

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public int threads() {
        return 1;
    }

    @Override
    public void gemm(Transpose transA, Transpose transB, int m, int n, int k,
                     float alpha, float[] a, int aOffset, int lda,
                     float[] b, int bOffset, int ldb,
                     float beta, float[] c, int cOffset, int ldc) {
        GemmArguments.check(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        int aSpan = span(transA.transposed() ? k : m, transA.transposed() ? m : k, lda);
        int bSpan = span(transB.transposed() ? n : k, transB.transposed() ? k : n, ldb);
        int cSpan = span(m, n, ldc);
        try (DeviceBuffer da = upload(a, aOffset, aSpan);
             DeviceBuffer db = upload(b, bOffset, bSpan);
             DeviceBuffer dc = upload(c, cOffset, cSpan)) {
            rt.gemm().gemm(transA, transB, m, n, k, alpha, da, 0, lda, db, 0, ldb, beta, dc, 0, ldc);
            dc.read(0, c, cOffset, cSpan);
        }
    }

    @Override
    public void im2col(Conv2dGeometry g, float[] x, int xOffset, float[] cols, int colsOffset) {
        int colsLength = g.colRows() * g.colCols();
        try (DeviceBuffer dx = upload(x, xOffset, g.inputSize());
             DeviceBuffer dcols = rt.buffers().allocate(colsLength)) {
            rt.im2col().im2col(g, dx, 0, dcols, 0);
            dcols.read(0, cols, colsOffset, colsLength);
        }
    }

    @Override
    public void col2im(Conv2dGeometry g, float[] cols, int colsOffset, float[] dx, int dxOffset) {
        try (DeviceBuffer dcols = upload(cols, colsOffset, g.colRows() * g.colCols());
             DeviceBuffer ddx = upload(dx, dxOffset, g.inputSize())) {
            rt.im2col().col2im(g, dcols, 0, ddx, 0);
            ddx.read(0, dx, dxOffset, g.inputSize());
        }
    }

    @Override
    public void maxPoolForward(Conv2dGeometry g, float[] x, int xOffset, float[] y, int yOffset,
                               int[] argmax, int argmaxOffset) {
        int out = outElements(g);
        try (DeviceBuffer dx = upload(x, xOffset, inElements(g));
             DeviceBuffer dy = rt.buffers().allocate(out);
             DeviceBuffer darg = rt.buffers().allocate(out)) {
            rt.pooling().maxPoolForward(g, dx, 0, dy, 0, darg, 0);
            dy.read(0, y, yOffset, out);
            darg.read(0, argmax, argmaxOffset, out);
        }
    }

    @Override
    public void maxPoolBackward(Conv2dGeometry g, float[] dy, int dyOffset, int[] argmax, int argmaxOffset,
                                float[] dx, int dxOffset) {
        int out = outElements(g);
        int in = inElements(g);
        int plane = g.height() * g.width();
        for (int i = 0; i < out; i++) {
            int index = argmax[argmaxOffset + i];
            if (index < 0 || index >= plane) {
                throw new IllegalArgumentException("maxPoolBackward: argmax[" + (argmaxOffset + i) + "] = " + index
                        + " outside the plane of " + plane + " elements");
            }
        }
        try (DeviceBuffer ddy = upload(dy, dyOffset, out);
             DeviceBuffer darg = rt.buffers().upload(argmax, argmaxOffset, out);
             DeviceBuffer ddx = upload(dx, dxOffset, in)) {
            rt.pooling().maxPoolBackward(g, ddy, 0, darg, 0, ddx, 0);
            ddx.read(0, dx, dxOffset, in);
        }
    }

    @Override
    public void avgPoolForward(Conv2dGeometry g, boolean countIncludePad, float[] x, int xOffset, float[] y, int yOffset) {
        int out = outElements(g);
        try (DeviceBuffer dx = upload(x, xOffset, inElements(g));
             DeviceBuffer dy = rt.buffers().allocate(out)) {
            rt.pooling().avgPoolForward(g, countIncludePad, dx, 0, dy, 0);
            dy.read(0, y, yOffset, out);
        }
    }

    @Override
    public void avgPoolBackward(Conv2dGeometry g, boolean countIncludePad, float[] dy, int dyOffset,
                                float[] dx, int dxOffset) {
        int in = inElements(g);
        try (DeviceBuffer ddy = upload(dy, dyOffset, outElements(g));
             DeviceBuffer ddx = upload(dx, dxOffset, in)) {
            rt.pooling().avgPoolBackward(g, countIncludePad, ddy, 0, ddx, 0);
            ddx.read(0, dx, dxOffset, in);
        }
    }

    @Override
    public void channelSums(int n, int c, int hw, float[] x, int xOffset, double[] out) {
        int len = Math.multiplyExact(Math.multiplyExact(n, c), hw);
        try (DeviceBuffer dx = upload(x, xOffset, len)) {
            rt.channels().channelReduceToHost(n, c, hw, dx, 0, null, 0, out);
        }
    }

    @Override
    public void channelDots(int n, int c, int hw, float[] a, int aOffset, float[] b, int bOffset, double[] out) {
        int len = Math.multiplyExact(Math.multiplyExact(n, c), hw);
        try (DeviceBuffer da = upload(a, aOffset, len);
             DeviceBuffer db = upload(b, bOffset, len)) {
            rt.channels().channelReduceToHost(n, c, hw, da, 0, db, 0, out);
        }
    }

    @Override
    public void channelAffine(int n, int c, int hw, float[] x, int xOffset, float[] scale, float[] shift,
                              float[] y, int yOffset) {
        int len = Math.multiplyExact(Math.multiplyExact(n, c), hw);
        try (DeviceBuffer dx = upload(x, xOffset, len);
             DeviceBuffer ds = scale == null ? null : upload(scale, 0, c);
             DeviceBuffer dt = shift == null ? null : upload(shift, 0, c);
             DeviceBuffer dy = rt.buffers().allocate(len)) {
            rt.elementwise().channelAffine(n, c, hw, dx, 0, ds, dt, dy, 0);
            dy.read(0, y, yOffset, len);
        }
    }

    @Override
    public void biasRelu(int rows, int cols, float[] x, int xOffset, float[] bias, float[] y, int yOffset, boolean relu) {
        int len = Math.multiplyExact(rows, cols);
        try (DeviceBuffer dx = upload(x, xOffset, len);
             DeviceBuffer db = bias == null ? null : upload(bias, 0, rows);
             DeviceBuffer dy = rt.buffers().allocate(len)) {
            rt.elementwise().biasRelu(1, rows, cols, dx, 0, db, dy, 0, relu);
            dy.read(0, y, yOffset, len);
        }
    }

    @Override
    public void addInPlace(int len, float[] x, int xOffset, float[] y, int yOffset) {
        try (DeviceBuffer dx = upload(x, xOffset, len);
             DeviceBuffer dy = upload(y, yOffset, len)) {
            rt.elementwise().addInPlace(len, dx, 0, dy, 0);
            dy.read(0, y, yOffset, len);
        }
    }

    @Override
    public void axpy(int len, float alpha, float[] x, int xOffset, float[] y, int yOffset) {
        try (DeviceBuffer dx = upload(x, xOffset, len);
             DeviceBuffer dy = upload(y, yOffset, len)) {
            rt.elementwise().axpy(len, alpha, dx, 0, dy, 0);
            dy.read(0, y, yOffset, len);
        }
    }

    @Override
    public void scale(int len, float alpha, float[] x, int xOffset, float[] y, int yOffset) {
        try (DeviceBuffer dx = upload(x, xOffset, len);
             DeviceBuffer dy = rt.buffers().allocate(len)) {
            rt.elementwise().scale(len, alpha, dx, 0, dy, 0);
            dy.read(0, y, yOffset, len);
        }
    }

    @Override
    public void relu(int len, float[] x, int xOffset, float[] y, int yOffset) {
        try (DeviceBuffer dx = upload(x, xOffset, len);
             DeviceBuffer dy = rt.buffers().allocate(len)) {
            rt.elementwise().relu(len, dx, 0, dy, 0);
            dy.read(0, y, yOffset, len);
        }
    }

    @Override
    public void reluBackward(int len, float[] x, int xOffset, float[] dy, int dyOffset, float[] dx, int dxOffset) {
        try (DeviceBuffer dX = upload(x, xOffset, len);
             DeviceBuffer dDy = upload(dy, dyOffset, len);
             DeviceBuffer dDx = upload(dx, dxOffset, len)) {
            rt.elementwise().reluBackward(len, dX, 0, dDy, 0, dDx, 0);
            dDx.read(0, dx, dxOffset, len);
        }
    }

    @Override
    public double softmaxCrossEntropy(int n, int classes, float[] logits, int logitsOffset, int[] labels,
                                      float[] logProbs, int logProbsOffset) {
        checkLabels(n, classes, labels);
        int len = Math.multiplyExact(n, classes);
        try (DeviceBuffer dz = upload(logits, logitsOffset, len);
             DeviceBuffer dl = rt.buffers().upload(labels, 0, n);
             DeviceBuffer dlp = rt.buffers().allocate(len);
             DeviceBuffer rows = rt.buffers().allocate(n)) {
            rt.softmaxCrossEntropy().forward(n, classes, dz, 0, dl, 0, dlp, 0, rows, 0);
            dlp.read(0, logProbs, logProbsOffset, len);
            return ClSoftmaxCrossEntropy.meanLoss(n, rows, 0);
        }
    }

    @Override
    public void softmaxCrossEntropyBackward(int n, int classes, float[] logProbs, int logProbsOffset, int[] labels,
                                            float scale, float[] dlogits, int dlogitsOffset) {
        checkLabels(n, classes, labels);
        int len = Math.multiplyExact(n, classes);
        try (DeviceBuffer dlp = upload(logProbs, logProbsOffset, len);
             DeviceBuffer dl = rt.buffers().upload(labels, 0, n);
             DeviceBuffer dd = rt.buffers().allocate(len)) {
            rt.softmaxCrossEntropy().backward(n, classes, dlp, 0, dl, 0, scale, dd, 0);
            dd.read(0, dlogits, dlogitsOffset, len);
        }
    }

    /** Releases the device's programs, queue and context when this backend owns them. */
    @Override
    public void close() {
        if (ownsRuntime) {
            rt.close();
        }
    }

    private DeviceBuffer upload(float[] src, int offset, int length) {
        return rt.buffers().upload(src, offset, length);
    }

    private static void checkLabels(int n, int classes, int[] labels) {
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("softmaxCrossEntropy: labels[" + i + "] = " + labels[i]
                        + " outside [0, " + classes + ")");
            }
        }
    }

    /** Elements a rows x cols matrix with row stride ld spans (validated by {@link GemmArguments}). */
    private static int span(int rows, int cols, int ld) {
        return rows == 0 || cols == 0 ? 0 : Math.toIntExact((long) (rows - 1) * ld + cols);
    }

    private static int inElements(Conv2dGeometry g) {
        return Math.multiplyExact(g.channels(), g.height() * g.width());
    }

    private static int outElements(Conv2dGeometry g) {
        return Math.multiplyExact(g.channels(), g.outHeight() * g.outWidth());
    }
}
