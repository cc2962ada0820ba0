package org.rankfold.kernels.cpu;

import org.rankfold.kernels.Conv2dGeometry;

/**
 * im2col and col2im of one image (layout in {@link Conv2dGeometry}): x is (C, H, W), cols is
 * (C*KH*KW, OH*OW). Each cols row is built output row by output row: the range of output columns whose
 * input column lies inside the image is computed once, so the inner loop is a plain (for stride 1,
 * contiguous) copy with no bounds tests, and padding is a fill. Channels are split over threads; every
 * channel's rows of cols and plane of dx belong to one thread, so results do not depend on threads.
 *
 * <p>Callers with a pointwise convolution ({@link Conv2dGeometry#isPointwise()}) skip both: x (C, H*W) is
 * already the cols matrix, so the forward pass is {@code gemm(W (OC x C), x)} straight into y, and the
 * backward pass is {@code gemm(W^T, dy)} (TN) into dx, and {@code gemm(dy, x^T)} (NT) into dw.
 */
public final class Im2col {
    private static final int MIN_CHANNELS_PER_THREAD = 4;

    private Im2col() {
    }

    /** cols is overwritten. */
    public static void im2col(WorkerPool pool, Conv2dGeometry g, float[] x, int xOffset, float[] cols, int colsOffset) {
        pool.split(g.channels(), MIN_CHANNELS_PER_THREAD, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                im2colChannel(g, c, x, xOffset, cols, colsOffset);
            }
        });
    }

    /** dx is accumulated into. */
    public static void col2im(WorkerPool pool, Conv2dGeometry g, float[] cols, int colsOffset, float[] dx, int dxOffset) {
        pool.split(g.channels(), MIN_CHANNELS_PER_THREAD, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                col2imChannel(g, c, cols, colsOffset, dx, dxOffset);
            }
        });
    }

    private static void im2colChannel(Conv2dGeometry g, int c, float[] x, int xOffset, float[] cols, int colsOffset) {
        int oh = g.outHeight();
        int ow = g.outWidth();
        int h = g.height();
        int w = g.width();
        int sw = g.strideW();
        int plane = xOffset + c * h * w;
        // (p, q): one kernel tap, one row of cols
        for (int p = 0; p < g.kernelH(); p++) {
            for (int q = 0; q < g.kernelW(); q++) {
                int row = colsOffset + ((c * g.kernelH() + p) * g.kernelW() + q) * oh * ow;
                int dw = q * g.dilationW() - g.padW();
                int jLo = firstInside(dw, sw);
                int jHi = Math.min(ow, lastInside(dw, sw, w) + 1);
                // i: one output row
                for (int i = 0; i < oh; i++) {
                    int dst = row + i * ow;
                    int hi = i * g.strideH() - g.padH() + p * g.dilationH();
                    if (hi < 0 || hi >= h || jLo >= jHi) {
                        java.util.Arrays.fill(cols, dst, dst + ow, 0f);
                        continue;
                    }
                    java.util.Arrays.fill(cols, dst, dst + jLo, 0f);
                    int src = plane + hi * w + dw;
                    if (sw == 1) {
                        System.arraycopy(x, src + jLo, cols, dst + jLo, jHi - jLo);
                    } else {
                        for (int j = jLo; j < jHi; j++) {
                            cols[dst + j] = x[src + j * sw];
                        }
                    }
                    java.util.Arrays.fill(cols, dst + jHi, dst + ow, 0f);
                }
            }
        }
    }

    private static void col2imChannel(Conv2dGeometry g, int c, float[] cols, int colsOffset, float[] dx, int dxOffset) {
        int oh = g.outHeight();
        int ow = g.outWidth();
        int h = g.height();
        int w = g.width();
        int sw = g.strideW();
        int plane = dxOffset + c * h * w;
        // (p, q): one kernel tap, one row of cols, in the same order as the reference (same sums)
        for (int p = 0; p < g.kernelH(); p++) {
            for (int q = 0; q < g.kernelW(); q++) {
                int row = colsOffset + ((c * g.kernelH() + p) * g.kernelW() + q) * oh * ow;
                int dw = q * g.dilationW() - g.padW();
                int jLo = firstInside(dw, sw);
                int jHi = Math.min(ow, lastInside(dw, sw, w) + 1);
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

    /** Smallest j >= 0 with j*stride + offset >= 0. */
    private static int firstInside(int offset, int stride) {
        return offset >= 0 ? 0 : (-offset + stride - 1) / stride;
    }

    /** Largest j with j*stride + offset <= width - 1 (may be negative). */
    private static int lastInside(int offset, int stride, int width) {
        return Math.floorDiv(width - 1 - offset, stride);
    }
}
