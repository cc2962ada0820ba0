package org.rankfold.kernels.cpu;

import org.rankfold.kernels.Backend;
import org.rankfold.kernels.Conv2dGeometry;
import org.rankfold.kernels.GemmEpilogue;
import org.rankfold.kernels.PackedConvWeights;
import org.rankfold.kernels.Transpose;
import org.rankfold.kernels.cpu.gemm.ConvGemm;
import org.rankfold.kernels.cpu.gemm.Gemm;
import org.rankfold.kernels.cpu.gemm.GemmConfig;
import org.rankfold.kernels.cpu.gemm.MicroKernel4x32;
import org.rankfold.kernels.cpu.gemm.MicroKernel8x32;
import org.rankfold.kernels.ref.SoftmaxCrossEntropyRef;

/**
 * The fast CPU backend: Vector API SGEMM in the BLIS structure ({@link Gemm}), im2col/col2im, pooling,
 * per-channel and element-wise kernels, on a fixed {@link WorkerPool}. Results are bit-identical for any
 * thread count (threads split outputs, never a reduction).
 *
 * <p>Threads: {@code -Drankfold.threads} or the constructor (default: available processors). Vector width:
 * {@code -Drankfold.simd.bits=0|128|256|512} or the constructor (default: the machine's preferred width).
 */
public final class CpuBackend implements Backend, AutoCloseable {
    /** System property for the worker count. */
    public static final String THREADS_PROPERTY = "rankfold.threads";

    private final SimdWidth width;
    private final WorkerPool pool;
    private final Gemm gemm;
    private final ConvGemm convGemm;

    /** Threads and width from the system properties (or their defaults). */
    public CpuBackend() {
        this(configuredThreads(), SimdWidth.configured());
    }

    /** The given thread count, width from {@code -Drankfold.simd.bits} or the preferred one. */
    public CpuBackend(int threads) {
        this(threads, SimdWidth.configured());
    }

    public CpuBackend(int threads, SimdWidth width) {
        this.width = width;
        this.pool = new WorkerPool(threads);
        GemmConfig wide = GemmConfig.forWidth(width);
        GemmConfig narrow = width == SimdWidth.BITS_512
                ? wide.withKernel(new MicroKernel8x32()) : wide;
        GemmConfig small = width == SimdWidth.BITS_512
                ? wide.withKernel(new MicroKernel4x32()) : narrow;
        this.gemm = new Gemm(wide, narrow, small, pool);
        this.convGemm = new ConvGemm(wide, narrow, small, pool);
    }

    /** {@code -Drankfold.threads} when set (must be >= 1), else the number of available processors. */
    public static int configuredThreads() {
        String value = System.getProperty(THREADS_PROPERTY);
        if (value == null || value.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int t = Integer.parseInt(value.trim());
            if (t >= 1) {
                return t;
            }
        } catch (NumberFormatException e) {
            // reported below with the property's name
        }
        throw new IllegalArgumentException("-D" + THREADS_PROPERTY + " must be an integer >= 1, got '" + value + "'");
    }

    public SimdWidth width() {
        return width;
    }

    /** The GEMM engine (its configuration tells MR, NR and the blocking). */
    public Gemm gemmEngine() {
        return gemm;
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int threads() {
        return pool.threads();
    }

    @Override
    public String toString() {
        return "cpu(threads=" + threads() + ", simd=" + width.bits() + " bits, micro-kernel "
                + gemm.config().kernel().getClass().getSimpleName() + ")";
    }

    @Override
    public void gemm(Transpose transA, Transpose transB, int m, int n, int k,
                     float alpha, float[] a, int aOffset, int lda,
                     float[] b, int bOffset, int ldb,
                     float beta, float[] c, int cOffset, int ldc) {
        gemm.gemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
    }

    @Override
    public void gemmEpilogue(Transpose transA, Transpose transB, int m, int n, int k,
                             float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                             float[] c, int cOffset, int ldc, GemmEpilogue epilogue) {
        gemm.gemm(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc, epilogue);
    }

    @Override
    public void forEachRange(int items, RangeBody body) {
        pool.split(items, 1, body::run);
    }

    @Override
    public void im2col(Conv2dGeometry g, float[] x, int xOffset, float[] cols, int colsOffset) {
        Im2col.im2col(pool, g, x, xOffset, cols, colsOffset);
    }

    @Override
    public void col2im(Conv2dGeometry g, float[] cols, int colsOffset, float[] dx, int dxOffset) {
        Im2col.col2im(pool, g, cols, colsOffset, dx, dxOffset);
    }

    @Override
    public void im2colBatch(Conv2dGeometry g, int images, float[] x, int xOffset, float[] cols, int colsOffset) {
        Im2col.im2colBatch(pool, g, images, x, xOffset, cols, colsOffset);
    }

    @Override
    public void im2colChannelMajor(Conv2dGeometry g, int images, float[] x, int xOffset, int ldx, float[] cols,
                                   int colsOffset) {
        Im2col.im2colChannelMajor(pool, g, images, x, xOffset, ldx, cols, colsOffset);
    }

    @Override
    public void col2imBatch(Conv2dGeometry g, int images, float[] cols, int colsOffset, float[] dx, int dxOffset) {
        Im2col.col2imBatch(pool, width, g, images, cols, colsOffset, dx, dxOffset);
    }

    @Override
    public void convForward(Conv2dGeometry g, int images, int oc, float[] w, int wOffset, float[] x, int xOffset,
                            float[] y, int yOffset) {
        convGemm.forward(g, images, oc, w, wOffset, x, xOffset, y, yOffset);
    }

    @Override
    public boolean convChannelMajorInPlace(Conv2dGeometry g, int oc) {
        return convGemm.gridPays(g, oc);
    }

    @Override
    public boolean convDataGradInPlace(Conv2dGeometry g, int oc) {
        return convGemm.dataGradOnGridPays(g, oc);
    }

    @Override
    public void convDataGrad(Conv2dGeometry g, int images, int oc, float[] w, int wOffset, float[] dy, int dyOffset,
                             float[] dx, int dxOffset) {
        if (convGemm.dataGradOnGridPays(g, oc)) {
            convGemm.dataGradOnGrid(g, images, oc, w, wOffset, dy, dyOffset, dx, dxOffset);
        } else {
            Backend.super.convDataGrad(g, images, oc, w, wOffset, dy, dyOffset, dx, dxOffset);
        }
    }

    @Override
    public void convDataGradStore(Conv2dGeometry g, int images, int oc, float[] w, int wOffset, float[] dy,
                                  int dyOffset, float[] dx, int dxOffset) {
        if (convGemm.dataGradOnGridPays(g, oc)) {
            convGemm.dataGradOnGrid(g, images, oc, w, wOffset, dy, dyOffset, dx, dxOffset, false);
        } else {
            Backend.super.convDataGradStore(g, images, oc, w, wOffset, dy, dyOffset, dx, dxOffset);
        }
    }

    /** The convolution GEMMs, for tests that call a path directly. */
    ConvGemm convGemm() {
        return convGemm;
    }

    @Override
    public void convChannelMajor(Conv2dGeometry g, int images, int oc, float[] w, int wOffset, float[] x,
                                 int xOffset, int ldx, float[] y, int yOffset, int ldy, GemmEpilogue ep) {
        convChannelMajor(g, images, oc, w, wOffset, null, x, xOffset, ldx, y, yOffset, ldy, ep);
    }

    @Override
    public PackedConvWeights packConvWeights(int oc, int depth, float[] w, int wOffset) {
        return convGemm.packConvWeights(oc, depth, w, wOffset);
    }

    @Override
    public void convChannelMajor(Conv2dGeometry g, int images, int oc, float[] w, int wOffset,
                                 PackedConvWeights packed, float[] x, int xOffset, int ldx, float[] y, int yOffset,
                                 int ldy, GemmEpilogue ep) {
        if (convGemm.gridPays(g, oc)) {
            convGemm.forwardOnGrid(g, images, oc, w, wOffset, packed, x, xOffset, ldx, y, yOffset, ldy, ep);
        } else {
            Backend.super.convChannelMajor(g, images, oc, w, wOffset, x, xOffset, ldx, y, yOffset, ldy, ep);
        }
    }

    @Override
    public void convWeightGrad(Conv2dGeometry g, int images, int oc, float[] dy, int dyOffset, float[] x,
                               int xOffset, float beta, float[] dw, int dwOffset) {
        convGemm.weightGrad(g, images, oc, dy, dyOffset, x, xOffset, beta, dw, dwOffset);
    }

    @Override
    public void convDataCols(Conv2dGeometry g, int images, int oc, float[] w, int wOffset, float[] dy, int dyOffset,
                             float[] cols, int colsOffset) {
        convGemm.dataCols(g, images, oc, w, wOffset, dy, dyOffset, cols, colsOffset);
    }

    @Override
    public void transposeBlocks(int rows, int cols, int block, float[] x, int xOffset, float[] y, int yOffset) {
        Layout.transposeBlocks(pool, rows, cols, block, x, xOffset, y, yOffset);
    }

    @Override
    public void maxPoolForward(Conv2dGeometry g, float[] x, int xOffset, float[] y, int yOffset,
                               int[] argmax, int argmaxOffset) {
        Pool.maxForward(pool, width, g, x, xOffset, y, yOffset, argmax, argmaxOffset);
    }

    @Override
    public void maxPoolValues(Conv2dGeometry g, float[] x, int xOffset, float[] y, int yOffset) {
        if (g.padH() == 0 && g.padW() == 0 && g.dilationH() == 1 && g.dilationW() == 1) {
            Pool.maxValues(pool, width, g, x, xOffset, y, yOffset);
        } else {
            Backend.super.maxPoolValues(g, x, xOffset, y, yOffset);
        }
    }

    @Override
    public void maxPoolBackward(Conv2dGeometry g, float[] dy, int dyOffset, int[] argmax, int argmaxOffset,
                                float[] dx, int dxOffset) {
        Pool.maxBackward(pool, g, dy, dyOffset, argmax, argmaxOffset, dx, dxOffset);
    }

    @Override
    public void avgPoolForward(Conv2dGeometry g, boolean countIncludePad, float[] x, int xOffset,
                               float[] y, int yOffset) {
        Pool.avgForward(pool, g, countIncludePad, x, xOffset, y, yOffset);
    }

    @Override
    public void avgPoolBackward(Conv2dGeometry g, boolean countIncludePad, float[] dy, int dyOffset,
                                float[] dx, int dxOffset) {
        Pool.avgBackward(pool, g, countIncludePad, dy, dyOffset, dx, dxOffset);
    }

    @Override
    public void channelSums(int n, int c, int hw, float[] x, int xOffset, double[] out) {
        ChannelOps.channelSums(pool, width, n, c, hw, x, xOffset, out);
    }

    @Override
    public void channelDots(int n, int c, int hw, float[] a, int aOffset, float[] b, int bOffset, double[] out) {
        ChannelOps.channelDots(pool, width, n, c, hw, a, aOffset, b, bOffset, out);
    }

    @Override
    public void channelSumsAndDots(int n, int c, int hw, float[] a, int aOffset, float[] b, int bOffset,
                                   double[] sums, double[] dots) {
        ChannelOps.channelSumsAndDots(pool, width, n, c, hw, a, aOffset, b, bOffset, sums, dots);
    }

    @Override
    public void channelCenterSquares(int n, int c, int hw, float[] x, int xOffset, float[] shift, float[] y,
                                     int yOffset, double[] squares) {
        ChannelOps.channelCenterSquares(pool, width, n, c, hw, x, xOffset, shift, y, yOffset, squares);
    }

    @Override
    public void channelAffine(int n, int c, int hw, float[] x, int xOffset, float[] scale, float[] shift,
                              float[] y, int yOffset) {
        ChannelOps.channelAffine(pool, width, n, c, hw, x, xOffset, scale, shift, y, yOffset);
    }

    @Override
    public void channelCombineAccumulate(int n, int c, int hw, float[] a, int aOffset, float[] sa, float[] b,
                                         int bOffset, float[] sb, float[] shift, float[] y, int yOffset) {
        ChannelOps.channelCombineAccumulate(pool, width, n, c, hw, a, aOffset, sa, b, bOffset, sb, shift, y, yOffset);
    }

    @Override
    public void channelCombineStore(int n, int c, int hw, float[] a, int aOffset, float[] sa, float[] b, int bOffset,
                                    float[] sb, float[] shift, float[] y, int yOffset) {
        ChannelOps.channelCombineStore(pool, width, n, c, hw, a, aOffset, sa, b, bOffset, sb, shift, y, yOffset);
    }

    @Override
    public void channelAffineRelu(int n, int c, int hw, float[] x, int xOffset, float[] scale, float[] shift,
                                  float[] y, int yOffset) {
        ChannelOps.channelAffineRelu(pool, width, n, c, hw, x, xOffset, scale, shift, y, yOffset);
    }

    @Override
    public void channelMaskedSumsAndDots(int n, int c, int hw, float[] a, int aOffset, float[] mask, int maskOffset,
                                         float[] b, int bOffset, double[] sums, double[] dots) {
        ChannelOps.channelMaskedSumsAndDots(pool, width, n, c, hw, a, aOffset, mask, maskOffset, b, bOffset, sums, dots);
    }

    @Override
    public void channelMaskedCombineAccumulate(int n, int c, int hw, float[] a, int aOffset, float[] mask,
                                               int maskOffset, float[] sa, float[] b, int bOffset, float[] sb,
                                               float[] shift, float[] y, int yOffset) {
        ChannelOps.channelMaskedCombineAccumulate(pool, width, n, c, hw, a, aOffset, mask, maskOffset, sa, b, bOffset,
                sb, shift, y, yOffset);
    }

    @Override
    public void channelMaskedCombineStore(int n, int c, int hw, float[] a, int aOffset, float[] mask, int maskOffset,
                                          float[] sa, float[] b, int bOffset, float[] sb, float[] shift, float[] y,
                                          int yOffset) {
        ChannelOps.channelMaskedCombineStore(pool, width, n, c, hw, a, aOffset, mask, maskOffset, sa, b, bOffset,
                sb, shift, y, yOffset);
    }

    @Override
    public void biasRelu(int rows, int cols, float[] x, int xOffset, float[] bias, float[] y, int yOffset,
                         boolean relu) {
        ChannelOps.biasRelu(pool, rows, cols, x, xOffset, bias, y, yOffset, relu);
    }

    @Override
    public void addInPlace(int len, float[] x, int xOffset, float[] y, int yOffset) {
        Elementwise.addInPlace(pool, len, x, xOffset, y, yOffset);
    }

    @Override
    public void axpy(int len, float alpha, float[] x, int xOffset, float[] y, int yOffset) {
        Elementwise.axpy(pool, len, alpha, x, xOffset, y, yOffset);
    }

    @Override
    public void fill(int len, float value, float[] y, int yOffset) {
        Elementwise.fill(pool, len, value, y, yOffset);
    }

    @Override
    public void scale(int len, float alpha, float[] x, int xOffset, float[] y, int yOffset) {
        Elementwise.scale(pool, len, alpha, x, xOffset, y, yOffset);
    }

    @Override
    public void relu(int len, float[] x, int xOffset, float[] y, int yOffset) {
        Elementwise.relu(pool, width, len, x, xOffset, y, yOffset);
    }

    @Override
    public void addRelu(int len, float[] a, int aOffset, float[] b, int bOffset, float[] y, int yOffset) {
        Elementwise.addRelu(pool, width, len, a, aOffset, b, bOffset, y, yOffset);
    }

    @Override
    public void reluBackward(int len, float[] x, int xOffset, float[] dy, int dyOffset, float[] dx, int dxOffset) {
        Elementwise.reluBackward(pool, width, len, x, xOffset, dy, dyOffset, dx, dxOffset);
    }

    @Override
    public void reluBackwardStore(int len, float[] x, int xOffset, float[] dy, int dyOffset, float[] dx,
                                  int dxOffset) {
        Elementwise.reluBackwardStore(pool, width, len, x, xOffset, dy, dyOffset, dx, dxOffset);
    }

    /** N x classes is tiny next to the layers (N*10 here): the reference is fast enough and stays the definition. */
    @Override
    public double softmaxCrossEntropy(int n, int classes, float[] logits, int logitsOffset, int[] labels,
                                      float[] logProbs, int logProbsOffset) {
        return SoftmaxCrossEntropyRef.forward(n, classes, logits, logitsOffset, labels, logProbs, logProbsOffset);
    }

    @Override
    public void softmaxCrossEntropyBackward(int n, int classes, float[] logProbs, int logProbsOffset, int[] labels,
                                            float scale, float[] dlogits, int dlogitsOffset) {
        SoftmaxCrossEntropyRef.backward(n, classes, logProbs, logProbsOffset, labels, scale, dlogits, dlogitsOffset);
    }

    /** Stops the worker threads; the backend must not be used afterwards. */
    @Override
    public void close() {
        pool.close();
    }
}
