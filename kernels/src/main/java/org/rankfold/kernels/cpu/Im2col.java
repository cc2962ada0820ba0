package org.rankfold.kernels.cpu;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import org.rankfold.kernels.Conv2dGeometry;

/**
 * im2col and col2im (layout in {@link Conv2dGeometry}): x is (images, C, H, W), cols is
 * (C*KH*KW, images*OH*OW) with image i in columns [i*OH*OW, (i+1)*OH*OW) (one image: (C*KH*KW, OH*OW)).
 * Each cols row is built output row by output row: the range of output columns whose input column lies
 * inside the image is computed once, so the inner loop is a plain (for stride 1, contiguous) copy with no
 * bounds tests, and padding is a fill. When the output rows are as wide as the input rows (stride 1,
 * "same" width, the 3x3 pad-1 convolutions of the zoo), a tap's whole block of rows is one copy of the
 * shifted plane, after which the few columns that wrapped round a row edge are zeroed.
 * Work items are (image, channel) pairs split over threads; every pair's part of cols and plane of dx
 * belongs to one thread, so results do not depend on threads.
 *
 * <p>Callers with a pointwise convolution ({@link Conv2dGeometry#isPointwise()}) may skip both: x (C, H*W)
 * is already one image's cols matrix, so the forward pass is {@code gemm(W (OC x C), x)} straight into y,
 * and the backward pass is {@code gemm(W^T, dy)} (TN) into dx, and {@code gemm(dy, x^T)} (NT) into dw.
 */
public final class Im2col {
    /** Below this many cols elements per thread a split costs more than it saves. */
    private static final int MIN_ELEMENTS_PER_THREAD = 1 << 14;

    private Im2col() {
    }

    /** One image; cols is overwritten. */
    public static void im2col(WorkerPool pool, Conv2dGeometry g, float[] x, int xOffset, float[] cols, int colsOffset) {
        im2colBatch(pool, g, 1, x, xOffset, cols, colsOffset);
    }

    /** One image; dx is accumulated into; cols is only read. */
    public static void col2im(WorkerPool pool, Conv2dGeometry g, float[] cols, int colsOffset, float[] dx, int dxOffset) {
        col2im(pool, SimdWidth.SCALAR, g, 1, cols, colsOffset, dx, dxOffset, false);
    }

    /** cols (C*KH*KW, images*OH*OW) is overwritten. */
    public static void im2colBatch(WorkerPool pool, Conv2dGeometry g, int images, float[] x, int xOffset,
                                   float[] cols, int colsOffset) {
        int ohw = g.colCols();
        int ld = images * ohw;
        forEachImageChannel(pool, g, images, (img, ch) ->
                im2colChannel(g, ch, x, xOffset + img * g.inputSize(), cols, colsOffset + img * ohw, ld));
    }

    /**
     * cols as {@link #im2colBatch}, from images stored channel-major (the inference plan's layout): channel c of
     * image i at {@code x[xOffset + c*ldx + i*H*W]}. All (channel, image) pairs go through one split (a split
     * per channel cost more than the copies of a small strided 1x1 convolution).
     */
    public static void im2colChannelMajor(WorkerPool pool, Conv2dGeometry g, int images, float[] x, int xOffset,
                                          int ldx, float[] cols, int colsOffset) {
        int ohw = g.colCols();
        int ld = images * ohw;
        int taps = g.kernelH() * g.kernelW();
        int plane = g.height() * g.width();
        // channel 0 of a one-channel geometry at the plane's own offset: the (image, channel) body as it is
        Conv2dGeometry one = new Conv2dGeometry(1, g.height(), g.width(), g.kernelH(), g.kernelW(), g.strideH(),
                g.strideW(), g.padH(), g.padW(), g.dilationH(), g.dilationW());
        pool.split(images * g.channels(), minItems(g), (i0, i1) -> {
            for (int item = i0; item < i1; item++) {
                int c = item / images;
                int img = item - c * images;
                im2colChannel(one, 0, x, xOffset + c * ldx + img * plane, cols,
                        colsOffset + c * taps * ld + img * ohw, ld);
            }
        });
    }

    /** dx (images, C, H, W) is accumulated into; cols is scratch (its contents are undefined afterwards). */
    public static void col2imBatch(WorkerPool pool, SimdWidth width, Conv2dGeometry g, int images, float[] cols,
                                   int colsOffset, float[] dx, int dxOffset) {
        col2im(pool, width, g, images, cols, colsOffset, dx, dxOffset, true);
    }

    /** With colsIsScratch the same-width path may zero elements of cols (see {@link #addTapSameWidth}). */
    private static void col2im(WorkerPool pool, SimdWidth width, Conv2dGeometry g, int images, float[] cols,
                               int colsOffset, float[] dx, int dxOffset, boolean colsIsScratch) {
        int ohw = g.colCols();
        int ld = images * ohw;
        forEachImageChannel(pool, g, images, (img, ch) ->
                col2imChannel(g, width, ch, cols, colsOffset + img * ohw, ld, dx, dxOffset + img * g.inputSize(),
                        colsIsScratch));
    }

    /** Work on one (image, channel) pair. */
    @FunctionalInterface
    private interface ImageChannelBody {
        void run(int image, int channel);
    }

    /** Runs body over every (image, channel) pair, image-major, with the pairs split over threads. */
    private static void forEachImageChannel(WorkerPool pool, Conv2dGeometry g, int images, ImageChannelBody body) {
        int c = g.channels();
        pool.split(images * c, minItems(g), (i0, i1) -> {
            for (int item = i0; item < i1; item++) {
                body.run(item / c, item % c);
            }
        });
    }

    private static int minItems(Conv2dGeometry g) {
        int perItem = g.kernelH() * g.kernelW() * g.colCols();
        return Math.max(1, MIN_ELEMENTS_PER_THREAD / perItem);
    }

    /** Rows of channel c: row r of cols starts at block + r*ld; x's image starts at image. */
    private static void im2colChannel(Conv2dGeometry g, int c, float[] x, int image, float[] cols, int block, int ld) {
        int oh = g.outHeight();
        int ow = g.outWidth();
        int h = g.height();
        int w = g.width();
        int sw = g.strideW();
        int plane = image + c * h * w;
        boolean sameWidth = sw == 1 && g.strideH() == 1 && ow == w;
        if (g.kernelH() == 1 && g.kernelW() == 1 && g.padH() == 0 && g.padW() == 0) {
            pointwise(g, x, plane, cols, block + c * ld);
            return;
        }
        // (p, q): one kernel tap, one row of cols
        for (int p = 0; p < g.kernelH(); p++) {
            for (int q = 0; q < g.kernelW(); q++) {
                int row = block + ((c * g.kernelH() + p) * g.kernelW() + q) * ld;
                int dw = q * g.dilationW() - g.padW();
                int jLo = firstInside(dw, sw);
                int jHi = Math.min(ow, lastInside(dw, sw, w) + 1);
                if (sameWidth) {
                    tapSameWidth(g, p, x, plane, cols, row, dw, jLo, jHi);
                    continue;
                }
                // i: one output row
                for (int i = 0; i < oh; i++) {
                    int dst = row + i * ow;
                    int hi = i * g.strideH() - g.padH() + p * g.dilationH();
                    if (hi < 0 || hi >= h || jLo >= jHi) {
                        Arrays.fill(cols, dst, dst + ow, 0f);
                        continue;
                    }
                    Arrays.fill(cols, dst, dst + jLo, 0f);
                    int src = plane + hi * w + dw;
                    if (sw == 1) {
                        System.arraycopy(x, src + jLo, cols, dst + jLo, jHi - jLo);
                    } else {
                        for (int j = jLo; j < jHi; j++) {
                            cols[dst + j] = x[src + j * sw];
                        }
                    }
                    Arrays.fill(cols, dst + jHi, dst + ow, 0f);
                }
            }
        }
    }

    /**
     * The one row of an unpadded 1x1 window (a strided shortcut): output (i, j) reads plane element
     * {@code i*SH*W + j*SW}, always inside the plane, so there is nothing to clamp or fill.
     */
    private static void pointwise(Conv2dGeometry g, float[] x, int plane, float[] cols, int row) {
        int oh = g.outHeight();
        int ow = g.outWidth();
        int sw = g.strideW();
        int rowStep = g.strideH() * g.width();
        for (int i = 0; i < oh; i++) {
            int src = plane + i * rowStep;
            int dst = row + i * ow;
            for (int j = 0; j < ow; j++) {
                cols[dst + j] = x[src + j * sw];
            }
        }
    }

    /**
     * One tap of a stride-1 convolution with OW == W: output (i, j) reads plane element
     * {@code (i + dh)*W + j + dw}, i.e. the plane shifted by {@code dh*W + dw}, so the valid rows [iLo, iHi)
     * are one copy; elements of that range whose column fell off a row edge (j outside [jLo, jHi)) read a
     * neighbouring row (or nothing, at the plane's ends) and are zeroed afterwards.
     */
    private static void tapSameWidth(Conv2dGeometry g, int p, float[] x, int plane, float[] cols, int row,
                                     int dw, int jLo, int jHi) {
        int oh = g.outHeight();
        int w = g.width();
        int h = g.height();
        int dh = p * g.dilationH() - g.padH();
        int iLo = Math.max(0, -dh);
        int iHi = Math.min(oh, h - dh);
        if (iLo >= iHi || jLo >= jHi) {
            Arrays.fill(cols, row, row + oh * w, 0f);
            return;
        }
        int shift = dh * w + dw;
        Arrays.fill(cols, row, row + iLo * w, 0f);
        int from = Math.max(iLo * w, -shift);
        int to = Math.min(iHi * w, h * w - shift);
        System.arraycopy(x, plane + from + shift, cols, row + from, to - from);
        zeroEdgeColumns(cols, row, w, iLo, iHi, jLo, jHi);
        Arrays.fill(cols, row + iHi * w, row + oh * w, 0f);
    }

    /** Channel c of one image: row r of cols starts at block + r*ld; dx's image starts at image. */
    private static void col2imChannel(Conv2dGeometry g, SimdWidth width, int c, float[] cols, int block, int ld,
                                      float[] dx, int image, boolean colsIsScratch) {
        int oh = g.outHeight();
        int ow = g.outWidth();
        int h = g.height();
        int w = g.width();
        int sw = g.strideW();
        int plane = image + c * h * w;
        boolean sameWidth = colsIsScratch && sw == 1 && g.strideH() == 1 && ow == w;
        // (p, q): one kernel tap, one row of cols, in the same order as the reference (same sums)
        for (int p = 0; p < g.kernelH(); p++) {
            for (int q = 0; q < g.kernelW(); q++) {
                int row = block + ((c * g.kernelH() + p) * g.kernelW() + q) * ld;
                int dw = q * g.dilationW() - g.padW();
                int jLo = firstInside(dw, sw);
                int jHi = Math.min(ow, lastInside(dw, sw, w) + 1);
                if (sameWidth) {
                    addTapSameWidth(g, width, p, cols, row, dw, jLo, jHi, dx, plane);
                    continue;
                }
                for (int i = 0; i < oh; i++) {
                    int hi = i * g.strideH() - g.padH() + p * g.dilationH();
                    if (hi < 0 || hi >= h) {
                        continue;
                    }
                    int src = row + i * ow;
                    int dst = plane + hi * w + dw;
                    if (sw == 1) {
                        for (int j = jLo; j < jHi; j++) {
                            dx[dst + j] += cols[src + j];
                        }
                    } else {
                        for (int j = jLo; j < jHi; j++) {
                            dx[dst + j * sw] += cols[src + j];
                        }
                    }
                }
            }
        }
    }

    /**
     * The adjoint of {@link #tapSameWidth}: the valid rows of the tap are one contiguous add of the cols row
     * into the shifted plane. The elements whose column wrapped round a row edge must add nothing, so they
     * are zeroed in cols first (cols is scratch for col2imBatch) and add +0; every other dx element gets its
     * taps in the reference's (p, q) order.
     */
    private static void addTapSameWidth(Conv2dGeometry g, SimdWidth width, int p, float[] cols, int row, int dw,
                                        int jLo, int jHi, float[] dx, int plane) {
        int oh = g.outHeight();
        int w = g.width();
        int h = g.height();
        int dh = p * g.dilationH() - g.padH();
        int iLo = Math.max(0, -dh);
        int iHi = Math.min(oh, h - dh);
        if (iLo >= iHi || jLo >= jHi) {
            return;
        }
        int shift = dh * w + dw;
        zeroEdgeColumns(cols, row, w, iLo, iHi, jLo, jHi);
        int from = Math.max(iLo * w, -shift);
        int to = Math.min(iHi * w, h * w - shift);
        int d = plane + shift;
        int t = from;
        if (width != SimdWidth.SCALAR) {
            // explicit vectors: in a ResNet-20 profile the plain loop cost ~3x as much (C2 left it scalar)
            VectorSpecies<Float> sp = width.floatSpecies();
            for (int upper = from + sp.loopBound(to - from); t < upper; t += sp.length()) {
                FloatVector.fromArray(sp, dx, d + t).add(FloatVector.fromArray(sp, cols, row + t)).intoArray(dx, d + t);
            }
        }
        for (; t < to; t++) {
            dx[d + t] += cols[row + t];
        }
    }

    /**
     * Zeroes columns [0, jLo) and [jHi, w) of rows [iLo, iHi) of a cols row laid out as rows of w: the one
     * or two elements per row that a same-width tap wrapped round a row edge. Plain stores: with an
     * {@code Arrays.fill} call per one-element range, im2col and col2im took 474 of 1992 samples of a
     * 1-thread ResNet-20 profile; with these stores, 382 of 1899.
     */
    private static void zeroEdgeColumns(float[] cols, int row, int w, int iLo, int iHi, int jLo, int jHi) {
        if (jLo <= 0 && jHi >= w) {
            return;
        }
        for (int i = iLo; i < iHi; i++) {
            int r = row + i * w;
            for (int j = 0; j < jLo; j++) {
                cols[r + j] = 0f;
            }
            for (int j = jHi; j < w; j++) {
                cols[r + j] = 0f;
            }
        }
    }

    /** Smallest j >= 0 with j*stride + offset >= 0. */
    private static int firstInside(int offset, int stride) {
        return offset >= 0 ? 0 : (-offset + stride - 1) / stride;
    }

    /** Largest j with j*stride + offset <= width - 1 (may be negative). */
    private static int lastInside(int offset, int stride, int width) {
        return Math.floorDiv(width - 1 - offset, stride);
    }
}
