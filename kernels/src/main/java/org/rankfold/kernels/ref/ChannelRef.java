package org.rankfold.kernels.ref;

/**
 * Scalar per-channel reductions and affine maps for BatchNorm and biases. x is (N, C, HW) row-major:
 * element {@code x[(i*C + ch)*HW + j]} belongs to channel ch.
 *
 * <p>Reductions accumulate in double in one fixed order (image i ascending, then position j ascending),
 * so the result does not depend on threads.
 */
public final class ChannelRef {
    private ChannelRef() {
    }

    /** {@code out[ch] = sum_{i,j} x[(i*C + ch)*HW + j]}; out[0..C) is overwritten. */
    public static void channelSums(int n, int c, int hw, float[] x, int xOffset, double[] out) {
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                int base = xOffset + (i * c + ch) * hw;
                for (int j = 0; j < hw; j++) {
                    sum += x[base + j];
                }
            }
            out[ch] = sum;
        }
    }

    /** {@code out[ch] = sum_{i,j} a[(i*C + ch)*HW + j] * b[(i*C + ch)*HW + j]}; out[0..C) is overwritten. */
    public static void channelDots(int n, int c, int hw, float[] a, int aOffset, float[] b, int bOffset,
                                   double[] out) {
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                int base = (i * c + ch) * hw;
                for (int j = 0; j < hw; j++) {
                    sum += (double) a[aOffset + base + j] * b[bOffset + base + j];
                }
            }
            out[ch] = sum;
        }
    }

    /**
     * {@code y[(i*C + ch)*HW + j] = x[...] * scale[ch] + shift[ch]}; scale null means 1, shift null means 0.
     * y is overwritten and may be x itself (same offset).
     */
    public static void channelAffine(int n, int c, int hw, float[] x, int xOffset, float[] scale, float[] shift,
                                     float[] y, int yOffset) {
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                float s = scale == null ? 1f : scale[ch];
                float t = shift == null ? 0f : shift[ch];
                int base = (i * c + ch) * hw;
                for (int j = 0; j < hw; j++) {
                    y[yOffset + base + j] = x[xOffset + base + j] * s + t;
                }
            }
        }
    }

    /**
     * Per-channel combination, accumulated: {@code y += (sa[ch]*a + sb[ch]*b) + shift[ch]}, evaluated in
     * exactly that order (float). a, b, y are (N, C, HW); y is modified.
     */
    public static void channelCombineAccumulate(int n, int c, int hw, float[] a, int aOffset, float[] sa,
                                                float[] b, int bOffset, float[] sb, float[] shift,
                                                float[] y, int yOffset) {
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                int base = (i * c + ch) * hw;
                for (int j = 0; j < hw; j++) {
                    y[yOffset + base + j] += (sa[ch] * a[aOffset + base + j] + sb[ch] * b[bOffset + base + j]) + shift[ch];
                }
            }
        }
    }

    /** {@code y = max(0, x*scale[ch] + shift[ch])}: batch norm's affine map and a ReLU; y is overwritten. */
    public static void channelAffineRelu(int n, int c, int hw, float[] x, int xOffset, float[] scale, float[] shift,
                                         float[] y, int yOffset) {
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                int base = (i * c + ch) * hw;
                for (int j = 0; j < hw; j++) {
                    float v = x[xOffset + base + j] * scale[ch] + shift[ch];
                    y[yOffset + base + j] = v > 0f ? v : 0f;
                }
            }
        }
    }

    /**
     * Per-channel sums of a' and of a'*b, a' = (mask > 0 ? a : 0) (a ReLU's backward), in double; sums and
     * dots are overwritten.
     */
    public static void channelMaskedSumsAndDots(int n, int c, int hw, float[] a, int aOffset, float[] mask,
                                                int maskOffset, float[] b, int bOffset, double[] sums, double[] dots) {
        for (int ch = 0; ch < c; ch++) {
            double s = 0;
            double d = 0;
            for (int i = 0; i < n; i++) {
                int base = (i * c + ch) * hw;
                for (int j = 0; j < hw; j++) {
                    float av = mask[maskOffset + base + j] > 0f ? a[aOffset + base + j] : 0f;
                    s += av;
                    d += (double) av * b[bOffset + base + j];
                }
            }
            sums[ch] = s;
            dots[ch] = d;
        }
    }

    /** {@link #channelCombineAccumulate} of a' = (mask > 0 ? a : 0): {@code y += (sa*a' + sb*b) + shift}. */
    public static void channelMaskedCombineAccumulate(int n, int c, int hw, float[] a, int aOffset, float[] mask,
                                                      int maskOffset, float[] sa, float[] b, int bOffset, float[] sb,
                                                      float[] shift, float[] y, int yOffset) {
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                int base = (i * c + ch) * hw;
                for (int j = 0; j < hw; j++) {
                    float av = mask[maskOffset + base + j] > 0f ? a[aOffset + base + j] : 0f;
                    y[yOffset + base + j] += (sa[ch] * av + sb[ch] * b[bOffset + base + j]) + shift[ch];
                }
            }
        }
    }

    /**
     * Fused bias and ReLU: x and y are (rows, cols), {@code y[r][c] = x[r][c] + bias[r]}, then
     * {@code max(0, .)} when relu is set. bias null means 0. y is overwritten and may be x (same offset).
     */
    public static void biasRelu(int rows, int cols, float[] x, int xOffset, float[] bias, float[] y, int yOffset,
                                boolean relu) {
        for (int r = 0; r < rows; r++) {
            float b = bias == null ? 0f : bias[r];
            for (int col = 0; col < cols; col++) {
                float v = x[xOffset + r * cols + col] + b;
                y[yOffset + r * cols + col] = relu && !(v > 0f) ? 0f : v;
            }
        }
    }
}
