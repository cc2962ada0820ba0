package org.rankfold.kernels;

import java.util.Arrays;

import org.rankfold.kernels.ref.ChannelRef;
import org.rankfold.kernels.ref.GemmEpilogueRef;
import org.rankfold.kernels.ref.Im2colRef;
import org.rankfold.kernels.ref.LayoutRef;

/**
 * The compute operations that layers need, on float32 data in flat row-major arrays.
 *
 * <p>Every array argument comes with an offset; arguments named {@code out}/{@code c}/{@code dx} are
 * written (or accumulated where the javadoc says so), all others are only read. Implementations must
 * give bit-identical results for the same inputs whatever their thread count: threads split output
 * blocks, never a reduction.
 */
public interface Backend {

    /** Short name for logs and reports: "ref", "cpu", "opencl". */
    String name();

    /** Worker threads this backend uses for one call (1 for single-threaded backends). */
    int threads();

    /** A body over the work items [from, to). */
    @FunctionalInterface
    interface RangeBody {
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over [0, items) split into at most {@link #threads()} contiguous ranges, in
     * parallel, and returns when all are done; backend calls made inside a range run on that range's thread
     * alone. For a caller whose work items are independent and coarse (a convolution's chunks of images):
     * one split per op instead of one per kernel call keeps each item's data in one core's cache and saves
     * the barriers. Items must write disjoint outputs and must not depend on which range they fall in, so
     * results stay the same for every thread count. The default runs everything on the calling thread.
     */
    default void forEachRange(int items, RangeBody body) {
        if (items > 0) {
            body.run(0, items);
        }
    }

    /**
     * SGEMM: {@code C = alpha * op(A) * op(B) + beta * C}. op(A) is M x K, op(B) is K x N, C is M x N,
     * all row-major with leading dimensions lda/ldb/ldc. With {@code beta == 0} C is overwritten (NaN in C
     * does not propagate). C is modified.
     */
    void gemm(Transpose transA, Transpose transB, int m, int n, int k,
              float alpha, float[] a, int aOffset, int lda,
              float[] b, int bOffset, int ldb,
              float beta, float[] c, int cOffset, int ldc);

    /**
     * SGEMM with an output stage: {@code C = epilogue(op(A) * op(B))}, see {@link GemmEpilogue} (bias,
     * scale, residual add and ReLU of an inference convolution applied as C is stored). C is overwritten
     * and must not overlap the residual. The default runs {@link #gemm} and then the reference epilogue.
     */
    default void gemmEpilogue(Transpose transA, Transpose transB, int m, int n, int k,
                              float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                              float[] c, int cOffset, int ldc, GemmEpilogue epilogue) {
        epilogue.check(m, n);
        gemm(transA, transB, m, n, k, 1f, a, aOffset, lda, b, bOffset, ldb, 0f, c, cOffset, ldc);
        GemmEpilogueRef.apply(m, n, epilogue, c, cOffset, ldc);
    }

    /**
     * im2col of one image: x is (C, H, W) at xOffset; cols (C*KH*KW, OH*OW) at colsOffset is overwritten,
     * zero where the window reads padding. A pointwise convolution ({@link Conv2dGeometry#isPointwise()})
     * needs no im2col: x (C, H*W) already is the cols matrix, so pass it straight to {@link #gemm}.
     */
    void im2col(Conv2dGeometry g, float[] x, int xOffset, float[] cols, int colsOffset);

    /**
     * col2im of one image, the adjoint of im2col: cols (C*KH*KW, OH*OW) is scattered and
     * <b>accumulated</b> into dx (C, H, W) at dxOffset; padding positions are dropped.
     */
    void col2im(Conv2dGeometry g, float[] cols, int colsOffset, float[] dx, int dxOffset);

    /**
     * im2col of {@code images} consecutive images side by side, so that one GEMM covers them all: x is
     * (images, C, H, W) at xOffset; cols (C*KH*KW, images*OH*OW) at colsOffset is overwritten, image i in
     * columns [i*OH*OW, (i+1)*OH*OW). The default runs the scalar reference (backends without a batched
     * kernel, e.g. OpenCL, where the engine's CPU path is not the hot one).
     */
    default void im2colBatch(Conv2dGeometry g, int images, float[] x, int xOffset, float[] cols, int colsOffset) {
        Im2colRef.im2colBatch(g, images, x, xOffset, cols, colsOffset);
    }

    /**
     * col2im of {@code images} images in the layout of {@link #im2colBatch}: cols is scattered and
     * <b>accumulated</b> into dx (images, C, H, W) at dxOffset; each element adds its taps in ascending
     * (p, q) order. cols is scratch: an implementation may overwrite it (the engine passes the buffer the
     * data-gradient GEMM just wrote), so its contents are undefined afterwards.
     */
    default void col2imBatch(Conv2dGeometry g, int images, float[] cols, int colsOffset, float[] dx, int dxOffset) {
        Im2colRef.col2imBatch(g, images, cols, colsOffset, dx, dxOffset);
    }

    /**
     * A convolution's forward product over a batch of images: y (images, OC, OH*OW) at yOffset =
     * W (OC x C*KH*KW) * im2col(x), x (images, C, H, W); y is overwritten. Equal to {@link #im2colBatch},
     * {@link #gemm} and {@link #transposeBlocks} in turn, which is the default; a backend may read the
     * images through the im2col index map and store C into y's layout instead (no cols matrix, no
     * transpose). The definition is {@link org.rankfold.kernels.ref.ConvGemmRef#forward}.
     */
    default void convForward(Conv2dGeometry g, int images, int oc, float[] w, int wOffset, float[] x, int xOffset,
                             float[] y, int yOffset) {
        int cols = images * g.colCols();
        float[] colsBuf = new float[g.colRows() * cols];
        im2colBatch(g, images, x, xOffset, colsBuf, 0);
        float[] yt = new float[oc * cols];
        gemm(Transpose.NO, Transpose.NO, oc, cols, g.colRows(), 1f, w, wOffset, g.colRows(), colsBuf, 0, cols,
                0f, yt, 0, cols);
        transposeBlocks(oc, images, g.colCols(), yt, 0, y, yOffset);
    }

    /**
     * Whether {@link #convChannelMajor} reads the images in place (no cols matrix) for this geometry and OC;
     * callers that keep their own im2col scratch use it when this is false. The default: false.
     */
    default boolean convChannelMajorInPlace(Conv2dGeometry g, int oc) {
        return false;
    }

    /**
     * A convolution with its output stage over images stored channel-major (the inference plan's layout):
     * channel c of image i at {@code x[xOffset + c*ldx + i*H*W]}, output channel o of image i at
     * {@code y[yOffset + o*ldy + i*OH*OW]}; y = ep(W * im2col(x)) with W (OC x C*KH*KW) at wOffset, and the
     * epilogue's residual indexed like y. The default runs {@link #im2colBatch} per channel into a new cols
     * matrix and then {@link #gemmEpilogue}; a backend may read the images without a cols matrix (the CPU
     * backend does for stride-1 and stride-2 convolutions with odd kernels and padding (K-1)/2), with the same
     * values.
     */
    default void convChannelMajor(Conv2dGeometry g, int images, int oc, float[] w, int wOffset, float[] x,
                                  int xOffset, int ldx, float[] y, int yOffset, int ldy, GemmEpilogue ep) {
        int n = images * g.colCols();
        float[] cols = new float[g.colRows() * n];
        im2colChannelMajor(g, images, x, xOffset, ldx, cols, 0);
        gemmEpilogue(Transpose.NO, Transpose.NO, oc, n, g.colRows(), w, wOffset, g.colRows(), cols, 0, n,
                y, yOffset, ldy, ep);
    }

    /**
     * The weight of {@link #convChannelMajor} (OC x depth at wOffset) packed once in the form this backend's
     * GEMM reads it, for callers that run the same, unchanging weight many times (an inference plan); null
     * where the backend has no such form. The handle refers to w: w must not change while it is used.
     */
    default PackedConvWeights packConvWeights(int oc, int depth, float[] w, int wOffset) {
        return null;
    }

    /**
     * {@link #convChannelMajor} with the weight also given packed by {@link #packConvWeights} (the same values
     * and bits; a null handle, or one made by another backend or of another weight, is ignored).
     */
    default void convChannelMajor(Conv2dGeometry g, int images, int oc, float[] w, int wOffset,
                                  PackedConvWeights packed, float[] x, int xOffset, int ldx, float[] y, int yOffset,
                                  int ldy, GemmEpilogue ep) {
        convChannelMajor(g, images, oc, w, wOffset, x, xOffset, ldx, y, yOffset, ldy, ep);
    }

    /**
     * cols (C*KH*KW, images*OH*OW) at colsOffset = im2col of images stored channel-major, the inference plan's
     * layout: channel c of image i at {@code x[xOffset + c*ldx + i*H*W]}. One {@link #im2colBatch} per
     * channel, whose rows are that channel's KH*KW rows of cols.
     */
    default void im2colChannelMajor(Conv2dGeometry g, int images, float[] x, int xOffset, int ldx, float[] cols,
                                    int colsOffset) {
        int n = images * g.colCols();
        int taps = g.kernelH() * g.kernelW();
        Conv2dGeometry plane = new Conv2dGeometry(1, g.height(), g.width(), g.kernelH(), g.kernelW(), g.strideH(),
                g.strideW(), g.padH(), g.padW(), g.dilationH(), g.dilationW());
        for (int c = 0; c < g.channels(); c++) {
            im2colBatch(plane, images, x, xOffset + c * ldx, cols, colsOffset + c * taps * n);
        }
    }

    /**
     * Whether {@link #convDataGrad} runs without a data-gradient cols matrix for this geometry and OC; when
     * false, callers that keep their own cols scratch run {@link #convDataCols} and {@link #col2imBatch}
     * themselves. The default: false.
     */
    default boolean convDataGradInPlace(Conv2dGeometry g, int oc) {
        return false;
    }

    /**
     * A convolution's data gradient over a batch of images: dx (images, C, H, W) at dxOffset +=
     * col2im(W^T * dy^T), dy (images, OC, OH*OW). The default runs {@link #convDataCols} into a new cols
     * matrix and then {@link #col2imBatch}. A backend may instead run it as the convolution of dy with the
     * transposed, flipped weight (the CPU backend does for stride-1 convolutions with centred windows); its
     * sums then run in another order, so the values agree to rounding, not bit for bit.
     */
    default void convDataGrad(Conv2dGeometry g, int images, int oc, float[] w, int wOffset, float[] dy, int dyOffset,
                              float[] dx, int dxOffset) {
        float[] cols = new float[g.colRows() * images * g.colCols()];
        convDataCols(g, images, oc, w, wOffset, dy, dyOffset, cols, 0);
        col2imBatch(g, images, cols, 0, dx, dxOffset);
    }

    /**
     * {@link #convDataGrad} into a dx whose images hold nothing yet (a gradient's first contribution): they are
     * overwritten with exactly what accumulating into zeros gives, without zeroing them first where the backend
     * can. The default zeroes them and accumulates.
     */
    default void convDataGradStore(Conv2dGeometry g, int images, int oc, float[] w, int wOffset, float[] dy,
                                   int dyOffset, float[] dx, int dxOffset) {
        fill(images * g.inputSize(), 0f, dx, dxOffset);
        convDataGrad(g, images, oc, w, wOffset, dy, dyOffset, dx, dxOffset);
    }

    /**
     * A convolution's weight gradient over a batch of images: dw (OC x C*KH*KW) at dwOffset =
     * beta*dw + dy^T * im2col(x)^T, dy (images, OC, OH*OW) seen as (OC, images*OH*OW). The default
     * materializes the transposed dy and the cols matrix; see {@link #convForward}.
     */
    default void convWeightGrad(Conv2dGeometry g, int images, int oc, float[] dy, int dyOffset, float[] x,
                                int xOffset, float beta, float[] dw, int dwOffset) {
        int cols = images * g.colCols();
        float[] dyt = new float[oc * cols];
        transposeBlocks(images, oc, g.colCols(), dy, dyOffset, dyt, 0);
        float[] colsBuf = new float[g.colRows() * cols];
        im2colBatch(g, images, x, xOffset, colsBuf, 0);
        gemm(Transpose.NO, Transpose.YES, oc, g.colRows(), cols, 1f, dyt, 0, cols, colsBuf, 0, cols,
                beta, dw, dwOffset, g.colRows());
    }

    /**
     * The data-gradient columns of a convolution over a batch of images: cols (C*KH*KW, images*OH*OW) at
     * colsOffset = W^T * dy^T, dy (images, OC, OH*OW); cols is overwritten (then {@link #col2imBatch} gives
     * dx). The default materializes the transposed dy; see {@link #convForward}.
     */
    default void convDataCols(Conv2dGeometry g, int images, int oc, float[] w, int wOffset, float[] dy, int dyOffset,
                              float[] cols, int colsOffset) {
        int n = images * g.colCols();
        float[] dyt = new float[oc * n];
        transposeBlocks(images, oc, g.colCols(), dy, dyOffset, dyt, 0);
        gemm(Transpose.YES, Transpose.NO, g.colRows(), n, oc, 1f, w, wOffset, g.colRows(), dyt, 0, n,
                0f, cols, colsOffset, n);
    }

    /**
     * Swaps the two outer axes of blocks: x (rows, cols, block) -> y (cols, rows, block),
     * {@code y[c][r][e] = x[r][c][e]}; y is overwritten and must not overlap x. Converts between a batched
     * GEMM's (OC, N*OH*OW) and the activations' (N, OC, OH*OW).
     */
    default void transposeBlocks(int rows, int cols, int block, float[] x, int xOffset, float[] y, int yOffset) {
        LayoutRef.transposeBlocks(rows, cols, block, x, xOffset, y, yOffset);
    }

    // ---- pooling: g.channels() counts planes (N*C); x is (planes, H, W), y (planes, OH, OW) ----

    /**
     * Max pooling: y and argmax (planes, OH, OW) are overwritten; argmax holds {@code h*W + w} inside the
     * input plane. Padding counts as -inf; ties go to the first maximum in row-major window order
     * (PyTorch's rule); a NaN in a window propagates.
     */
    void maxPoolForward(Conv2dGeometry g, float[] x, int xOffset, float[] y, int yOffset,
                        int[] argmax, int argmaxOffset);

    /**
     * Max pooling without the indices, for inference: y (planes, OH, OW) is overwritten with each window's
     * maximum as {@link #maxPoolForward} computes it (a NaN propagates), except that of a +0 and a -0 in one
     * window either may be returned. Backends give unpadded windows a faster path; this default computes the
     * indices and drops them.
     */
    default void maxPoolValues(Conv2dGeometry g, float[] x, int xOffset, float[] y, int yOffset) {
        maxPoolForward(g, x, xOffset, y, yOffset, new int[g.channels() * g.outHeight() * g.outWidth()], 0);
    }

    /** Max pooling backward: {@code dx[plane][argmax[o]] += dy[o]}; dx (planes, H, W) is accumulated into. */
    void maxPoolBackward(Conv2dGeometry g, float[] dy, int dyOffset, int[] argmax, int argmaxOffset,
                         float[] dx, int dxOffset);

    /**
     * Average pooling (no dilation): y is overwritten with window means. With countIncludePad the divisor
     * is the window size clipped to the padded input (PyTorch's default), otherwise the number of real
     * input elements in the window.
     */
    void avgPoolForward(Conv2dGeometry g, boolean countIncludePad, float[] x, int xOffset, float[] y, int yOffset);

    /** Average pooling backward: every input of a window gets {@code dy / divisor}; dx is accumulated into. */
    void avgPoolBackward(Conv2dGeometry g, boolean countIncludePad, float[] dy, int dyOffset,
                         float[] dx, int dxOffset);

    // ---- per-channel ops: x is (N, C, HW) row-major, channel ch owns x[(i*C + ch)*HW + j] ----

    /**
     * {@code out[ch] = sum over i < N, j < HW of x[(i*C + ch)*HW + j]}, accumulated in double in a fixed
     * order (deterministic, independent of threads). out[0..C) is overwritten.
     */
    void channelSums(int n, int c, int hw, float[] x, int xOffset, double[] out);

    /** {@code out[ch] = sum over i, j of a*b} at the same positions, like {@link #channelSums}; out is overwritten. */
    void channelDots(int n, int c, int hw, float[] a, int aOffset, float[] b, int bOffset, double[] out);

    /**
     * {@link #channelSums} of a and {@link #channelDots} of a and b in one pass over a (batch norm's backward
     * needs both of dy); the results equal the two separate calls bit for bit.
     */
    default void channelSumsAndDots(int n, int c, int hw, float[] a, int aOffset, float[] b, int bOffset,
                                    double[] sums, double[] dots) {
        channelSums(n, c, hw, a, aOffset, sums);
        channelDots(n, c, hw, a, aOffset, b, bOffset, dots);
    }

    /**
     * Centers each channel and sums the squares in one pass: {@code y = x + shift[ch]}, then
     * {@code squares[ch] = sum of y*y}; equal bit for bit to {@link #channelAffine} (scale null) followed by
     * {@link #channelDots} of y with itself. y is overwritten and must not overlap x.
     */
    default void channelCenterSquares(int n, int c, int hw, float[] x, int xOffset, float[] shift, float[] y,
                                      int yOffset, double[] squares) {
        channelAffine(n, c, hw, x, xOffset, null, shift, y, yOffset);
        channelDots(n, c, hw, y, yOffset, y, yOffset, squares);
    }

    /**
     * {@code y = x * scale[ch] + shift[ch]} per channel; scale null means 1, shift null means 0. y is
     * overwritten and may be x at the same offset.
     */
    void channelAffine(int n, int c, int hw, float[] x, int xOffset, float[] scale, float[] shift,
                       float[] y, int yOffset);

    /**
     * {@code y += (sa[ch]*a + sb[ch]*b) + shift[ch]} per channel, in exactly that float order: batch norm's
     * input gradient in one pass. a, b, y are (N, C, HW); y is accumulated into. The default runs the
     * reference.
     */
    default void channelCombineAccumulate(int n, int c, int hw, float[] a, int aOffset, float[] sa, float[] b,
                                          int bOffset, float[] sb, float[] shift, float[] y, int yOffset) {
        ChannelRef.channelCombineAccumulate(n, c, hw, a, aOffset, sa, b, bOffset, sb, shift, y, yOffset);
    }

    /**
     * {@link #channelCombineAccumulate} into a y that holds nothing yet: y is overwritten with exactly what
     * accumulating into zeros gives (0 + v, so no -0) and need not be read. The default zeroes and accumulates.
     */
    default void channelCombineStore(int n, int c, int hw, float[] a, int aOffset, float[] sa, float[] b,
                                     int bOffset, float[] sb, float[] shift, float[] y, int yOffset) {
        fill(n * c * hw, 0f, y, yOffset);
        channelCombineAccumulate(n, c, hw, a, aOffset, sa, b, bOffset, sb, shift, y, yOffset);
    }

    /**
     * Batch norm's affine map and a ReLU in one pass: {@code y = max(0, x*scale[ch] + shift[ch])}, bit for bit
     * {@link #channelAffine} followed by {@link #relu} (the default). scale and shift are required; y is
     * overwritten and may be x at the same offset. Definition: {@link ChannelRef#channelAffineRelu}.
     */
    default void channelAffineRelu(int n, int c, int hw, float[] x, int xOffset, float[] scale, float[] shift,
                                   float[] y, int yOffset) {
        channelAffine(n, c, hw, x, xOffset, scale, shift, y, yOffset);
        relu(n * c * hw, y, yOffset, y, yOffset);
    }

    /**
     * {@link #channelSumsAndDots} of a' and b where a' is a ReLU's backward of a: a where mask &gt; 0 (the
     * ReLU's output), else 0. Bit for bit {@link #reluBackward} into a zeroed buffer followed by
     * channelSumsAndDots (the default, which allocates that buffer); an implementation need not write a'.
     */
    default void channelMaskedSumsAndDots(int n, int c, int hw, float[] a, int aOffset, float[] mask, int maskOffset,
                                          float[] b, int bOffset, double[] sums, double[] dots) {
        float[] masked = new float[n * c * hw];
        reluBackward(masked.length, mask, maskOffset, a, aOffset, masked, 0);
        channelSumsAndDots(n, c, hw, masked, 0, b, bOffset, sums, dots);
    }

    /**
     * {@link #channelCombineAccumulate} with a replaced by its ReLU-masked a' as in
     * {@link #channelMaskedSumsAndDots}: batch norm's input gradient behind a ReLU in one pass. y is
     * accumulated into.
     */
    default void channelMaskedCombineAccumulate(int n, int c, int hw, float[] a, int aOffset, float[] mask,
                                                int maskOffset, float[] sa, float[] b, int bOffset, float[] sb,
                                                float[] shift, float[] y, int yOffset) {
        float[] masked = new float[n * c * hw];
        reluBackward(masked.length, mask, maskOffset, a, aOffset, masked, 0);
        channelCombineAccumulate(n, c, hw, masked, 0, sa, b, bOffset, sb, shift, y, yOffset);
    }

    /** {@link #channelMaskedCombineAccumulate} into a y that holds nothing yet, as {@link #channelCombineStore}. */
    default void channelMaskedCombineStore(int n, int c, int hw, float[] a, int aOffset, float[] mask,
                                           int maskOffset, float[] sa, float[] b, int bOffset, float[] sb,
                                           float[] shift, float[] y, int yOffset) {
        fill(n * c * hw, 0f, y, yOffset);
        channelMaskedCombineAccumulate(n, c, hw, a, aOffset, mask, maskOffset, sa, b, bOffset, sb, shift, y, yOffset);
    }

    /**
     * Fused bias (+ ReLU): x, y are (rows, cols), {@code y[r][c] = x[r][c] + bias[r]} (one bias per row, i.e.
     * per channel in a (C, H*W) layout), then {@code max(0, .)} if relu. bias null means 0. y is overwritten
     * and may be x at the same offset.
     */
    void biasRelu(int rows, int cols, float[] x, int xOffset, float[] bias, float[] y, int yOffset, boolean relu);

    // ---- element-wise on len consecutive floats; outputs may alias inputs at the same offset ----

    /**
     * Sets y[yOffset .. yOffset+len) to {@code value} (whatever was there, NaN included). The engine zeroes
     * recycled gradient buffers with it, which on a multi-threaded backend is worth splitting.
     */
    default void fill(int len, float value, float[] y, int yOffset) {
        Arrays.fill(y, yOffset, yOffset + len, value);
    }

    /** {@code y += x}; y is modified. */
    void addInPlace(int len, float[] x, int xOffset, float[] y, int yOffset);

    /** {@code y += alpha * x}; y is modified. */
    void axpy(int len, float alpha, float[] x, int xOffset, float[] y, int yOffset);

    /** {@code y = alpha * x}; y is overwritten. */
    void scale(int len, float alpha, float[] x, int xOffset, float[] y, int yOffset);

    /** {@code y = max(0, x)}; y is overwritten. */
    void relu(int len, float[] x, int xOffset, float[] y, int yOffset);

    /**
     * {@code y = max(0, a + b)}: a residual add and its ReLU in one pass, bit for bit the float add followed by
     * {@link #relu} (the default). y is overwritten and may alias a or b at the same offset.
     */
    default void addRelu(int len, float[] a, int aOffset, float[] b, int bOffset, float[] y, int yOffset) {
        for (int i = 0; i < len; i++) {
            y[yOffset + i] = a[aOffset + i] + b[bOffset + i];
        }
        relu(len, y, yOffset, y, yOffset);
    }

    /** {@code dx += (x > 0 ? dy : 0)}, x the ReLU's input (gradient 0 at x == 0); dx is accumulated into. */
    void reluBackward(int len, float[] x, int xOffset, float[] dy, int dyOffset, float[] dx, int dxOffset);

    /**
     * {@code dx = (x > 0 ? 0 + dy : 0)}: {@link #reluBackward} into a dx that holds nothing yet, exactly what it
     * gives into zeros. The default zeroes dx and accumulates.
     */
    default void reluBackwardStore(int len, float[] x, int xOffset, float[] dy, int dyOffset, float[] dx,
                                   int dxOffset) {
        fill(len, 0f, dx, dxOffset);
        reluBackward(len, x, xOffset, dy, dyOffset, dx, dxOffset);
    }

    // ---- loss: logits, logProbs, dlogits are (N, classes) row-major; labels[i] in [0, classes) ----

    /**
     * Softmax cross-entropy: logProbs is overwritten with log-softmax(logits); returns the mean negative
     * log-likelihood over the N rows, accumulated in double.
     */
    double softmaxCrossEntropy(int n, int classes, float[] logits, int logitsOffset, int[] labels,
                               float[] logProbs, int logProbsOffset);

    /**
     * Its gradient: {@code dlogits = scale * (softmax - onehot(labels)) / N} with softmax = exp(logProbs);
     * dlogits is overwritten.
     */
    void softmaxCrossEntropyBackward(int n, int classes, float[] logProbs, int logProbsOffset, int[] labels,
                                     float scale, float[] dlogits, int dlogitsOffset);
}
