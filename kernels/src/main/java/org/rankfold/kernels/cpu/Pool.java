package org.rankfold.kernels.cpu;

import org.rankfold.kernels.Conv2dGeometry;

/**
 * Max and average pooling over planes (g.channels() = N*C planes; x (planes, H, W), y (planes, OH, OW)),
 * with the semantics of {@link org.rankfold.kernels.ref.PoolRef}. Window bounds are clamped once per
 * output row and column instead of tested per element. Planes are split over threads: each plane of y,
 * argmax and dx is written by one thread, so results do not depend on threads.
 */
public final class Pool {
    private static final int MIN_PLANES_PER_THREAD = 8;

    private Pool() {
    }

    /**
     * Planes per thread: at least {@link #MIN_PLANES_PER_THREAD}, and (rounded up, so that no part falls short)
     * {@link WorkerPool#MIN_FLOATS_PER_PART} input floats.
     */
    static int minPlanes(Conv2dGeometry g) {
        long plane = Math.max(1L, (long) g.height() * g.width());
        long planes = (WorkerPool.MIN_FLOATS_PER_PART + plane - 1) / plane;
        return (int) Math.max(MIN_PLANES_PER_THREAD, planes);
    }

    /**
     * y and argmax are overwritten; argmax = h*W + w inside the plane; first maximum wins, NaN propagates. An
     * unpadded 2x2 window of stride 2 runs {@link MaxPool2x2#rowIndexed} at 512 bits (same values and indices).
     */
    public static void maxForward(WorkerPool pool, SimdWidth simd, Conv2dGeometry g, float[] x, int xOffset, float[] y,
                                  int yOffset, int[] argmax, int argmaxOffset) {
        int oh = g.outHeight();
        int ow = g.outWidth();
        int plane = g.height() * g.width();
        if (g.padH() == 0 && g.padW() == 0 && g.dilationH() == 1 && g.dilationW() == 1) {
            pool.split(g.channels(), minPlanes(g), (c0, c1) ->
                    maxForwardInside(simd, g, c0, c1, x, xOffset, y, yOffset, argmax, argmaxOffset));
            return;
        }
        pool.split(g.channels(), minPlanes(g), (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                int xp = xOffset + c * plane;
                int yp = c * oh * ow;
                for (int r = 0; r < oh; r++) {
                    for (int s = 0; s < ow; s++) {
                        float best = Float.NEGATIVE_INFINITY;
                        int bestIndex = -1;
                        for (int i = 0; i < g.kernelH(); i++) {
                            int h = r * g.strideH() - g.padH() + i * g.dilationH();
                            if (h < 0 || h >= g.height()) {
                                continue;
                            }
                            int rowBase = h * g.width();
                            for (int j = 0; j < g.kernelW(); j++) {
                                int w = s * g.strideW() - g.padW() + j * g.dilationW();
                                if (w < 0 || w >= g.width()) {
                                    continue;
                                }
                                float v = x[xp + rowBase + w];
                                if (bestIndex < 0 || v > best || v != v) {
                                    best = v;
                                    bestIndex = rowBase + w;
                                }
                            }
                        }
                        if (bestIndex < 0) {
                            throw new IllegalArgumentException("maxPoolForward: window (" + r + ", " + s
                                    + ") lies entirely in the padding; padding must be at most half the kernel");
                        }
                        y[yOffset + yp + r * ow + s] = best;
                        argmax[argmaxOffset + yp + r * ow + s] = bestIndex;
                    }
                }
            }
        });
    }

    /**
     * Planes [c0, c1) of a max pool without padding or dilation: every window lies inside the plane, so the
     * bounds tests of the general loop go (they cost more than the comparisons, which made pooling as slow as
     * the convolution before it). The common 2x2 window is unrolled. Same comparisons in the same order as the
     * general loop, so values and argmax are identical: a NaN replaces the maximum, a later NaN the earlier.
     */
    private static void maxForwardInside(SimdWidth simd, Conv2dGeometry g, int c0, int c1, float[] x, int xOffset,
                                         float[] y, int yOffset, int[] argmax, int argmaxOffset) {
        int oh = g.outHeight();
        int ow = g.outWidth();
        int width = g.width();
        int plane = g.height() * width;
        int kh = g.kernelH();
        int kw = g.kernelW();
        int sh = g.strideH();
        int sw = g.strideW();
        for (int c = c0; c < c1; c++) {
            int xp = xOffset + c * plane;
            int yp = c * oh * ow;
            for (int r = 0; r < oh; r++) {
                int o = yp + r * ow;
                int rowBase = r * sh * width;
                if (kh == 2 && kw == 2) {
                    int done = sw == 2
                            ? MaxPool2x2.rowIndexed(simd, x, xp, rowBase, width, y, yOffset + o, argmax,
                                    argmaxOffset + o, ow)
                            : 0;
                    for (int s = done; s < ow; s++) {
                        int at = rowBase + s * sw;
                        float best = x[xp + at];
                        int bestIndex = at;
                        float v = x[xp + at + 1];
                        if (v > best || v != v) {
                            best = v;
                            bestIndex = at + 1;
                        }
                        v = x[xp + at + width];
                        if (v > best || v != v) {
                            best = v;
                            bestIndex = at + width;
                        }
                        v = x[xp + at + width + 1];
                        if (v > best || v != v) {
                            best = v;
                            bestIndex = at + width + 1;
                        }
                        y[yOffset + o + s] = best;
                        argmax[argmaxOffset + o + s] = bestIndex;
                    }
                    continue;
                }
                for (int s = 0; s < ow; s++) {
                    int at = rowBase + s * sw;
                    float best = x[xp + at];
                    int bestIndex = at;
                    for (int i = 0; i < kh; i++) {
                        int rowAt = at + i * width;
                        for (int j = i == 0 ? 1 : 0; j < kw; j++) {
                            float v = x[xp + rowAt + j];
                            if (v > best || v != v) {
                                best = v;
                                bestIndex = rowAt + j;
                            }
                        }
                    }
                    y[yOffset + o + s] = best;
                    argmax[argmaxOffset + o + s] = bestIndex;
                }
            }
        }
    }

    /**
     * Window maxima of an unpadded, undilated max pool without the indices (inference). Math.max compiles to
     * branch-free code: the comparisons of the indexed loop mispredict on real activations and made the pool
     * after a convolution cost as much as its GEMM. Math.max propagates NaN; of +0 and -0 it returns +0. A 2x2
     * window of stride 2 runs {@link MaxPool2x2} at this width (same values at every width).
     */
    public static void maxValues(WorkerPool pool, SimdWidth simd, Conv2dGeometry g, float[] x, int xOffset, float[] y,
                                 int yOffset) {
        if (g.padH() != 0 || g.padW() != 0 || g.dilationH() != 1 || g.dilationW() != 1) {
            throw new IllegalArgumentException("maxValues: needs no padding and no dilation, got " + g);
        }
        int oh = g.outHeight();
        int ow = g.outWidth();
        int width = g.width();
        int plane = g.height() * width;
        int kh = g.kernelH();
        int kw = g.kernelW();
        int sh = g.strideH();
        int sw = g.strideW();
        pool.split(g.channels(), minPlanes(g), (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                int xp = xOffset + c * plane;
                int yp = yOffset + c * oh * ow;
                for (int r = 0; r < oh; r++) {
                    int row0 = xp + r * sh * width;
                    int o = yp + r * ow;
                    if (kh == 2 && kw == 2 && sw == 2) {
                        MaxPool2x2.row(simd, x, row0, row0 + width, y, o, ow);
                        continue;
                    }
                    if (kh == 2 && kw == 2) {
                        int row1 = row0 + width;
                        for (int s = 0; s < ow; s++) {
                            int at = s * sw;
                            y[o + s] = Math.max(Math.max(x[row0 + at], x[row0 + at + 1]),
                                    Math.max(x[row1 + at], x[row1 + at + 1]));
                        }
                        continue;
                    }
                    for (int s = 0; s < ow; s++) {
                        int at = row0 + s * sw;
                        float best = x[at];
                        for (int i = 0; i < kh; i++) {
                            for (int j = 0; j < kw; j++) {
                                best = Math.max(best, x[at + i * width + j]);
                            }
                        }
                        y[o + s] = best;
                    }
                }
            }
        });
    }

    /** dx is accumulated into: {@code dx[plane][argmax[o]] += dy[o]}, in output order within a plane. */
    public static void maxBackward(WorkerPool pool, Conv2dGeometry g, float[] dy, int dyOffset, int[] argmax,
                                   int argmaxOffset, float[] dx, int dxOffset) {
        int outPlane = g.outHeight() * g.outWidth();
        int plane = g.height() * g.width();
        pool.split(g.channels(), minPlanes(g), (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                int o0 = c * outPlane;
                int xp = dxOffset + c * plane;
                for (int o = 0; o < outPlane; o++) {
                    int index = argmax[argmaxOffset + o0 + o];
                    if (index < 0 || index >= plane) {
                        throw new IllegalArgumentException("maxPoolBackward: argmax[" + (argmaxOffset + o0 + o)
                                + "] = " + index + " outside the plane of " + plane + " elements");
                    }
                    dx[xp + index] += dy[dyOffset + o0 + o];
                }
            }
        });
    }

    /** y is overwritten with window means (divisor as in {@link org.rankfold.kernels.ref.PoolRef}). */
    public static void avgForward(WorkerPool pool, Conv2dGeometry g, boolean countIncludePad, float[] x, int xOffset,
                                  float[] y, int yOffset) {
        requireNoDilation(g);
        int oh = g.outHeight();
        int ow = g.outWidth();
        int plane = g.height() * g.width();
        if (coversPlane(g)) {
            pool.split(g.channels(), minPlanes(g), (c0, c1) ->
                    planeMeans(plane, c0, c1, x, xOffset, y, yOffset));
            return;
        }
        pool.split(g.channels(), minPlanes(g), (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                int xp = xOffset + c * plane;
                for (int r = 0; r < oh; r++) {
                    int h0 = Math.max(0, r * g.strideH() - g.padH());
                    int h1 = Math.min(g.height(), r * g.strideH() - g.padH() + g.kernelH());
                    for (int s = 0; s < ow; s++) {
                        int w0 = Math.max(0, s * g.strideW() - g.padW());
                        int w1 = Math.min(g.width(), s * g.strideW() - g.padW() + g.kernelW());
                        double sum = 0;
                        for (int h = h0; h < h1; h++) {
                            for (int w = w0; w < w1; w++) {
                                sum += x[xp + h * g.width() + w];
                            }
                        }
                        y[yOffset + c * oh * ow + r * ow + s] = (float) (sum / divisor(g, countIncludePad, r, s, h0, h1, w0, w1));
                    }
                }
            }
        });
    }

    /** One unpadded window over the whole plane (a global average pool). */
    private static boolean coversPlane(Conv2dGeometry g) {
        return g.padH() == 0 && g.padW() == 0 && g.kernelH() == g.height() && g.kernelW() == g.width();
    }

    /**
     * y[c] = mean of plane c for the planes [c0, c1): the window loop's sums in the same order (one double
     * sum per plane, pixel by pixel), eight planes at a time. A single plane's sum is a chain of dependent
     * adds (4 cycles each); eight independent chains in one loop keep both adders busy (the 7x7 global pool
     * of a compressed ResNet-20 took a third as long as the convolution before it).
     */
    private static void planeMeans(int plane, int c0, int c1, float[] x, int xOffset, float[] y, int yOffset) {
        int c = c0;
        for (; c + 8 <= c1; c += 8) {
            int x0 = xOffset + c * plane;
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            double s4 = 0;
            double s5 = 0;
            double s6 = 0;
            double s7 = 0;
            for (int i = 0; i < plane; i++) {
                int at = x0 + i;
                s0 += x[at];
                s1 += x[at + plane];
                s2 += x[at + 2 * plane];
                s3 += x[at + 3 * plane];
                s4 += x[at + 4 * plane];
                s5 += x[at + 5 * plane];
                s6 += x[at + 6 * plane];
                s7 += x[at + 7 * plane];
            }
            y[yOffset + c] = (float) (s0 / plane);
            y[yOffset + c + 1] = (float) (s1 / plane);
            y[yOffset + c + 2] = (float) (s2 / plane);
            y[yOffset + c + 3] = (float) (s3 / plane);
            y[yOffset + c + 4] = (float) (s4 / plane);
            y[yOffset + c + 5] = (float) (s5 / plane);
            y[yOffset + c + 6] = (float) (s6 / plane);
            y[yOffset + c + 7] = (float) (s7 / plane);
        }
        for (; c < c1; c++) {
            int x0 = xOffset + c * plane;
            double s = 0;
            for (int i = 0; i < plane; i++) {
                s += x[x0 + i];
            }
            y[yOffset + c] = (float) (s / plane);
        }
    }

    /** dx is accumulated into: each input of a window gets dy / divisor. */
    public static void avgBackward(WorkerPool pool, Conv2dGeometry g, boolean countIncludePad, float[] dy, int dyOffset,
                                   float[] dx, int dxOffset) {
        requireNoDilation(g);
        int oh = g.outHeight();
        int ow = g.outWidth();
        int plane = g.height() * g.width();
        pool.split(g.channels(), minPlanes(g), (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                int xp = dxOffset + c * plane;
                for (int r = 0; r < oh; r++) {
                    int h0 = Math.max(0, r * g.strideH() - g.padH());
                    int h1 = Math.min(g.height(), r * g.strideH() - g.padH() + g.kernelH());
                    for (int s = 0; s < ow; s++) {
                        int w0 = Math.max(0, s * g.strideW() - g.padW());
                        int w1 = Math.min(g.width(), s * g.strideW() - g.padW() + g.kernelW());
                        float share = dy[dyOffset + c * oh * ow + r * ow + s] / divisor(g, countIncludePad, r, s, h0, h1, w0, w1);
                        for (int h = h0; h < h1; h++) {
                            for (int w = w0; w < w1; w++) {
                                dx[xp + h * g.width() + w] += share;
                            }
                        }
                    }
                }
            }
        });
    }

    private static int divisor(Conv2dGeometry g, boolean countIncludePad, int r, int s, int h0, int h1, int w0, int w1) {
        if (!countIncludePad) {
            return (h1 - h0) * (w1 - w0);
        }
        int hs = r * g.strideH() - g.padH();
        int ws = s * g.strideW() - g.padW();
        return (Math.min(hs + g.kernelH(), g.height() + g.padH()) - hs) * (Math.min(ws + g.kernelW(), g.width() + g.padW()) - ws);
    }

    private static void requireNoDilation(Conv2dGeometry g) {
        if (g.dilationH() != 1 || g.dilationW() != 1) {
            throw new IllegalArgumentException("average pooling has no dilation, got " + g.dilationH() + "x"
                    + g.dilationW());
        }
    }
}
