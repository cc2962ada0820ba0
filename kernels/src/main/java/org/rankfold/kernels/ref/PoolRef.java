package org.rankfold.kernels.ref;

import org.rankfold.kernels.Conv2dGeometry;

/**
 * Scalar max and average pooling straight from PyTorch's definitions ({@code max_pool2d},
 * {@code avg_pool2d}, ceil_mode off). One plane per {@code g.channels()} (callers pass N*C planes):
 * x is (planes, H, W), y and argmax are (planes, OH, OW), all row-major.
 *
 * <p>Window of output (oh, ow): rows {@code oh*SH - PH + i*DH}, columns {@code ow*SW - PW + j*DW},
 * {@code i < KH, j < KW}. Max pooling treats padding as -inf; the first maximum in row-major window order
 * wins (PyTorch's tie rule: it replaces only on {@code v > best} or a NaN, so a NaN propagates). Average pooling has no dilation.
 */
public final class PoolRef {
    private PoolRef() {
    }

    /** y and argmax are overwritten; argmax holds {@code h*W + w} inside the input plane. */
    public static void maxPoolForward(Conv2dGeometry g, float[] x, int xOffset, float[] y, int yOffset,
                                      int[] argmax, int argmaxOffset) {
        int oh = g.outHeight();
        int ow = g.outWidth();
        int plane = g.height() * g.width();
        for (int c = 0; c < g.channels(); c++) {
            for (int r = 0; r < oh; r++) {
                for (int s = 0; s < ow; s++) {
                    float best = Float.NEGATIVE_INFINITY;
                    int bestIndex = -1;
                    for (int i = 0; i < g.kernelH(); i++) {
                        int h = r * g.strideH() - g.padH() + i * g.dilationH();
                        if (h < 0 || h >= g.height()) {
                            continue;
                        }
                        for (int j = 0; j < g.kernelW(); j++) {
                            int w = s * g.strideW() - g.padW() + j * g.dilationW();
                            if (w < 0 || w >= g.width()) {
                                continue;
                            }
                            float v = x[xOffset + c * plane + h * g.width() + w];
                            // PyTorch: replace on a strictly larger value or NaN; the first max stays.
                            if (bestIndex < 0 || v > best || Float.isNaN(v)) {
                                best = v;
                                bestIndex = h * g.width() + w;
                            }
                        }
                    }
                    if (bestIndex < 0) {
                        throw new IllegalArgumentException("maxPoolForward: window (" + r + ", " + s
                                + ") lies entirely in the padding; padding must be at most half the kernel");
                    }
                    int o = c * oh * ow + r * ow + s;
                    y[yOffset + o] = best;
                    argmax[argmaxOffset + o] = bestIndex;
                }
            }
        }
    }

    /** dx (planes, H, W) is accumulated into: {@code dx[argmax[o]] += dy[o]} within each plane. */
    public static void maxPoolBackward(Conv2dGeometry g, float[] dy, int dyOffset, int[] argmax, int argmaxOffset,
                                       float[] dx, int dxOffset) {
        int outPlane = g.outHeight() * g.outWidth();
        int plane = g.height() * g.width();
        for (int c = 0; c < g.channels(); c++) {
            for (int o = 0; o < outPlane; o++) {
                int index = argmax[argmaxOffset + c * outPlane + o];
                if (index < 0 || index >= plane) {
                    throw new IllegalArgumentException("maxPoolBackward: argmax[" + (argmaxOffset + c * outPlane + o)
                            + "] = " + index + " outside the plane of " + plane + " elements");
                }
                dx[dxOffset + c * plane + index] += dy[dyOffset + c * outPlane + o];
            }
        }
    }

    /** y is overwritten with the window means. */
    public static void avgPoolForward(Conv2dGeometry g, boolean countIncludePad, float[] x, int xOffset,
                                      float[] y, int yOffset) {
        requireNoDilation(g);
        int oh = g.outHeight();
        int ow = g.outWidth();
        int plane = g.height() * g.width();
        for (int c = 0; c < g.channels(); c++) {
            for (int r = 0; r < oh; r++) {
                for (int s = 0; s < ow; s++) {
                    double sum = 0;
                    for (int h = rowStart(g, r); h < rowEnd(g, r); h++) {
                        for (int w = colStart(g, s); w < colEnd(g, s); w++) {
                            sum += x[xOffset + c * plane + h * g.width() + w];
                        }
                    }
                    y[yOffset + c * oh * ow + r * ow + s] = (float) (sum / divisor(g, countIncludePad, r, s));
                }
            }
        }
    }

    /** dx is accumulated into: every input of a window receives {@code dy / divisor}. */
    public static void avgPoolBackward(Conv2dGeometry g, boolean countIncludePad, float[] dy, int dyOffset,
                                       float[] dx, int dxOffset) {
        requireNoDilation(g);
        int oh = g.outHeight();
        int ow = g.outWidth();
        int plane = g.height() * g.width();
        for (int c = 0; c < g.channels(); c++) {
            for (int r = 0; r < oh; r++) {
                for (int s = 0; s < ow; s++) {
                    float share = dy[dyOffset + c * oh * ow + r * ow + s] / divisor(g, countIncludePad, r, s);
                    for (int h = rowStart(g, r); h < rowEnd(g, r); h++) {
                        for (int w = colStart(g, s); w < colEnd(g, s); w++) {
                            dx[dxOffset + c * plane + h * g.width() + w] += share;
                        }
                    }
                }
            }
        }
    }

    /**
     * PyTorch's divisor: with countIncludePad the window clipped to the padded input
     * ({@code min(start + K, size + pad) - start}), otherwise the number of real input elements.
     */
    static int divisor(Conv2dGeometry g, boolean countIncludePad, int r, int s) {
        if (countIncludePad) {
            int h0 = r * g.strideH() - g.padH();
            int w0 = s * g.strideW() - g.padW();
            int rows = Math.min(h0 + g.kernelH(), g.height() + g.padH()) - h0;
            int cols = Math.min(w0 + g.kernelW(), g.width() + g.padW()) - w0;
            return rows * cols;
        }
        return (rowEnd(g, r) - rowStart(g, r)) * (colEnd(g, s) - colStart(g, s));
    }

    private static int rowStart(Conv2dGeometry g, int r) {
        return Math.max(0, r * g.strideH() - g.padH());
    }

    private static int rowEnd(Conv2dGeometry g, int r) {
        return Math.min(g.height(), r * g.strideH() - g.padH() + g.kernelH());
    }

    private static int colStart(Conv2dGeometry g, int s) {
        return Math.max(0, s * g.strideW() - g.padW());
    }

    private static int colEnd(Conv2dGeometry g, int s) {
        return Math.min(g.width(), s * g.strideW() - g.padW() + g.kernelW());
    }

    static void requireNoDilation(Conv2dGeometry g) {
        if (g.dilationH() != 1 || g.dilationW() != 1) {
            throw new IllegalArgumentException("average pooling has no dilation, got " + g.dilationH() + "x"
                    + g.dilationW());
        }
    }
}
