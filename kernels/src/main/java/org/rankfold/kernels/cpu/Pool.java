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

    /** y and argmax are overwritten; argmax = h*W + w inside the plane; first maximum wins, NaN propagates. */
    public static void maxForward(WorkerPool pool, Conv2dGeometry g, float[] x, int xOffset, float[] y, int yOffset,
                                  int[] argmax, int argmaxOffset) {
        int oh = g.outHeight();
        int ow = g.outWidth();
        int plane = g.height() * g.width();
        pool.split(g.channels(), MIN_PLANES_PER_THREAD, (c0, c1) -> {
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

    /** dx is accumulated into: {@code dx[plane][argmax[o]] += dy[o]}, in output order within a plane. */
    public static void maxBackward(WorkerPool pool, Conv2dGeometry g, float[] dy, int dyOffset, int[] argmax,
                                   int argmaxOffset, float[] dx, int dxOffset) {
        int outPlane = g.outHeight() * g.outWidth();
        int plane = g.height() * g.width();
        pool.split(g.channels(), MIN_PLANES_PER_THREAD, (c0, c1) -> {
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
        pool.split(g.channels(), MIN_PLANES_PER_THREAD, (c0, c1) -> {
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

    /** dx is accumulated into: each input of a window gets dy / divisor. */
    public static void avgBackward(WorkerPool pool, Conv2dGeometry g, boolean countIncludePad, float[] dy, int dyOffset,
                                   float[] dx, int dxOffset) {
        requireNoDilation(g);
        int oh = g.outHeight();
        int ow = g.outWidth();
        int plane = g.height() * g.width();
        pool.split(g.channels(), MIN_PLANES_PER_THREAD, (c0, c1) -> {
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
