package org.rankfold.engine.ops;

import java.util.Arrays;

import org.rankfold.engine.tensor.StepArena;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.kernels.Backend;
import org.rankfold.kernels.Backends;
import org.rankfold.kernels.Conv2dGeometry;
import org.rankfold.kernels.Transpose;

/**
 * 2-D convolution (cross-correlation, PyTorch's {@code conv2d}, groups = 1) by im2col + GEMM over chunks
 * of images.
 *
 * <p>x is (N, C, H, W), w is (OC, C, KH, KW), bias (OC) or null; y is (N, OC, OH, OW). The images are
 * taken in chunks of B (see {@link #chunkCount}); for a chunk, cols = im2col of its B images side by
 * side, (C*KH*KW, B*OH*OW), and dY^T is the chunk's output gradient as (OC, B*OH*OW):
 * <pre>
 *   forward:         Y^T  = W (OC x C*KH*KW) * cols, stored as (B, OC, OH*OW), + bias
 *   backward data:   dx  += col2im(W^T * dY^T)                  (GEMM TN, then the adjoint of im2col)
 *   backward weight: dW  += dY^T * cols^T                       (GEMM NT with K = B*OH*OW, beta = 1)
 *   backward bias:   db  += sum over n, pixels of dy
 * </pre>
 * The backend's convolution products ({@link Backend#convForward}, {@link Backend#convWeightGrad},
 * {@link Backend#convDataCols}) take x, y and dy in their (N, C, H, W) layout: the CPU backend reads cols
 * through the im2col index map while packing the GEMM's operand and reads/writes the (OC, B*OH*OW) view of
 * the activations in place, so neither cols (except for col2im) nor a transposed copy is ever written.
 * One GEMM per chunk instead of one per image: at ResNet-20's 8x8 and 16x16 maps a single image gives
 * only 64-256 columns, too few to amortize packing W. The chunks are chosen from the layer's shape and the
 * batch only (never the thread count), so results stay bit-identical for every thread count. Threads take
 * whole chunks ({@link Backend#forEachRange}): a chunk's im2col, GEMM and transpose run on one core, with its
 * cols in that core's cache and no barrier between the kernels; splitting each kernel call instead left the
 * second thread waiting at thousands of barriers per ResNet-20 step. The chunk buffers are per-thread
 * scratch shared by all convolutions (autograd runs one op at a time), so their size is bounded by
 * {@link #CHUNK_FLOATS}, not by the batch; backward recomputes im2col rather than keeping N column
 * matrices.
 *
 * <p>A 1x1 stride-1 unpadded convolution skips im2col: cols is x_n itself (C x H*W), one GEMM per image.
 */
public final class Conv2dOp {
    /**
     * Budget of one chunk's cols matrix in floats (2 MiB): large enough for ~900+ GEMM columns at 3x3
     * with 64 channels, small enough to stay near the last-level cache between im2col and the GEMM.
     */
    static final int CHUNK_FLOATS = 1 << 19;

    /**
     * Budget of the data gradient's cols matrix in floats (512 KiB): W^T * dy is written to cols and read
     * back by col2im right after, so cols should stay in the core's L2 cache in between, next to dy and dx; a
     * chunk's data gradient runs in sub-chunks of at most this much cols (at least one image). Each image's
     * dx is the same sum whatever the sub-chunk, so results do not change. 2^16 measured no better.
     */
    static final int DATA_GRAD_FLOATS = 1 << 17;

    private static final ThreadLocal<Workspace> COLS = ThreadLocal.withInitial(Workspace::new);
    /** The weight-gradient partial sums of one backward, on the autograd thread. */
    private static final ThreadLocal<Workspace> PARTIALS = ThreadLocal.withInitial(Workspace::new);

    /**
     * Backward splits the chunks into this many fixed groups (fewer when there are fewer chunks); each
     * group sums its chunks' dW into its own partial, and the partials are added to the gradient in group
     * order. The groups depend only on the shape, so dW is the same sum for any thread count, while up to
     * this many threads can work on a backward at once.
     */
    static final int WEIGHT_GRAD_GROUPS = 8;

    private Conv2dOp() {
    }

    /** Images per data-gradient sub-chunk of a chunk of nb: as many as fit {@link #DATA_GRAD_FLOATS} of cols. */
    static int dataGradImages(Conv2dGeometry g, int nb) {
        long perImage = (long) g.colRows() * g.colCols();
        return (int) Math.max(1, Math.min(nb, DATA_GRAD_FLOATS / perImage));
    }

    /**
     * Chunks of a batch of n: one per image for a 1x1 stride-1 convolution (x_n is its own cols), otherwise
     * as many as keep each chunk's cols within {@link #CHUNK_FLOATS}, evenly filled ({@link BatchChunks}).
     */
    static int chunkCount(Conv2dGeometry g, boolean pointwise, int n) {
        return pointwise ? n : BatchChunks.count(n, (long) g.colRows() * g.colCols(), CHUNK_FLOATS);
    }

    public static Tensor forward(Tensor x, Tensor w, Tensor bias, ConvSpec spec) {
        if (x.rank() != 4 || w.rank() != 4) {
            throw new IllegalArgumentException("conv2d needs x (N, C, H, W) and w (OC, C, KH, KW), got "
                    + Arrays.toString(x.shape()) + " and " + Arrays.toString(w.shape()));
        }
        int n = x.dim(0);
        int c = x.dim(1);
        int oc = w.dim(0);
        if (w.dim(1) != c || w.dim(2) != spec.kernelH() || w.dim(3) != spec.kernelW()) {
            throw new IllegalArgumentException("conv2d: weight " + Arrays.toString(w.shape()) + " does not match input channels "
                    + c + " and kernel " + spec.kernelH() + "x" + spec.kernelW());
        }
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != oc)) {
            throw new IllegalArgumentException("conv2d: bias must be (" + oc + "), got " + Arrays.toString(bias.shape()));
        }
        Conv2dGeometry g = spec.geometry(c, x.dim(2), x.dim(3));
        int inSize = g.inputSize();
        int oh = g.outHeight();
        int ow = g.outWidth();
        int ohw = oh * ow;
        int ckk = g.colRows();
        boolean pointwise = spec.isPointwise();
        int chunks = chunkCount(g, pointwise, n);
        Backend be = Backends.current();
        float[] xd = x.data();
        float[] wd = w.data();
        float[] out = StepArena.floats(n * oc * ohw);
        // chunk ci covers images [i0, i0 + nb) and writes only their outputs
        be.forEachRange(chunks, (c0, c1) -> {
            for (int ci = c0; ci < c1; ci++) {
                int i0 = BatchChunks.start(n, chunks, ci);
                int nb = BatchChunks.size(n, chunks, ci);
                int yOff = i0 * oc * ohw;
                if (pointwise) {
                    be.gemm(Transpose.NO, Transpose.NO, oc, ohw, c, 1f, wd, 0, c, xd, i0 * inSize, ohw, 0f, out, yOff, ohw);
                    continue;
                }
                be.convForward(g, nb, oc, wd, 0, xd, i0 * inSize, out, yOff);
            }
        });
        if (bias != null) {
            for (int i = 0; i < n; i++) {
                be.biasRelu(oc, ohw, out, i * oc * ohw, bias.data(), out, i * oc * ohw, false);
            }
        }
        Tensor[] inputs = bias == null ? new Tensor[] {x, w} : new Tensor[] {x, w, bias};
        return Tensor.derived(out, new int[] {n, oc, oh, ow}, "conv2d", dout -> {
            Backend bk = Backends.current();
            boolean weightGrad = w.requiresGrad();
            // gradient buffers are taken here, on the autograd thread (the gradient pool is per thread)
            // when this is x's first gradient contribution, each chunk stores its images' dx (nothing zeroed first)
            boolean dxFirst = x.requiresGrad() && !x.hasGrad();
            float[] dx = !x.requiresGrad() ? null : dxFirst ? x.gradForOverwrite() : x.gradForAccumulation();
            int groups = Math.min(chunks, WEIGHT_GRAD_GROUPS);
            int dwSize = oc * ckk;
            float[] partials = weightGrad ? PARTIALS.get().floats(groups * dwSize) : null;
            bk.forEachRange(groups, (g0, g1) -> {
                for (int grp = g0; grp < g1; grp++) {
                    int first = (int) ((long) chunks * grp / groups);
                    int last = (int) ((long) chunks * (grp + 1) / groups);
                    for (int ci = first; ci < last; ci++) {
                        int i0 = BatchChunks.start(n, chunks, ci);
                        int nb = BatchChunks.size(n, chunks, ci);
                        // the group's first chunk overwrites its partial, the others add to it
                        float dwBeta = ci == first ? 0f : 1f;
                        backwardChunk(bk, g, pointwise, oc, c, ckk, ohw, i0, nb, dout, xd, wd, dx, dxFirst,
                                partials, grp * dwSize, dwBeta);
                    }
                }
            });
            if (weightGrad) {
                float[] gw = w.gradForAccumulation();
                for (int grp = 0; grp < groups; grp++) {
                    bk.addInPlace(dwSize, partials, grp * dwSize, gw, 0);
                }
            }
            if (bias != null && bias.requiresGrad()) {
                double[] sums = new double[oc];
                bk.channelSums(n, oc, ohw, dout, 0, sums);
                float[] gb = bias.gradForAccumulation();
                for (int o = 0; o < oc; o++) {
                    gb[o] += (float) sums[o];
                }
            }
        }, inputs);
    }

    /**
     * Backward of images [i0, i0 + nb): dW of the chunk into {@code dw} at dwOff (scaled by dwBeta first;
     * null when w needs no gradient), dx of its images accumulated into {@code dx} (null when x needs none), or
     * stored when dxFirst (what accumulating into zeros gives, the images' dx holding nothing yet).
     */
    private static void backwardChunk(Backend bk, Conv2dGeometry g, boolean pointwise, int oc, int c, int ckk,
                                      int ohw, int i0, int nb, float[] dout, float[] xd, float[] wd, float[] dx,
                                      boolean dxFirst, float[] dw, int dwOff, float dwBeta) {
        int dyOff = i0 * oc * ohw;
        int xOff = i0 * g.inputSize();
        boolean inPlace = !pointwise && bk.convDataGradInPlace(g, oc);
        if (dx != null && dxFirst && !inPlace) {
            // the other paths add into dx; only the in-place one can store
            bk.fill(nb * g.inputSize(), 0f, dx, xOff);
        }
        if (pointwise) {
            // x_n (C, H*W) is its own cols matrix; one image per chunk
            if (dw != null) {
                bk.gemm(Transpose.NO, Transpose.YES, oc, c, ohw, 1f, dout, dyOff, ohw, xd, xOff, ohw,
                        dwBeta, dw, dwOff, c);
            }
            if (dx != null) {
                bk.gemm(Transpose.YES, Transpose.NO, c, ohw, oc, 1f, wd, 0, c, dout, dyOff, ohw,
                        1f, dx, xOff, ohw);
            }
            return;
        }
        if (dw != null) {
            bk.convWeightGrad(g, nb, oc, dout, dyOff, xd, xOff, dwBeta, dw, dwOff);
        }
        if (dx != null && inPlace) {
            // the backend needs no cols matrix (on the CPU: dy convolved with the flipped weight on a grid)
            if (dxFirst) {
                bk.convDataGradStore(g, nb, oc, wd, 0, dout, dyOff, dx, xOff);
            } else {
                bk.convDataGrad(g, nb, oc, wd, 0, dout, dyOff, dx, xOff);
            }
        } else if (dx != null) {
            // the data gradient's cols round trip in sub-chunks small enough to stay in the core's L2 cache
            // between the GEMM's store and col2im; every image's dx is the same sum either way
            int sub = dataGradImages(g, nb);
            for (int s0 = 0; s0 < nb; s0 += sub) {
                int sb = Math.min(sub, nb - s0);
                float[] colsBuf = COLS.get().floats(ckk * sb * ohw);
                bk.convDataCols(g, sb, oc, wd, 0, dout, dyOff + s0 * oc * ohw, colsBuf, 0);
                bk.col2imBatch(g, sb, colsBuf, 0, dx, xOff + s0 * g.inputSize());
            }
        }
    }
}
