package org.rankfold.kernels.cpu;

/**
 * Per-channel reductions, affine maps and fused bias+ReLU on (N, C, HW) row-major data (channel ch owns
 * {@code x[(i*C + ch)*HW + j]}). Reductions accumulate in double, in the 16 chains of {@link LaneSums} (value
 * j of a row to chain j mod 16), run as vectors of the configured width and combined in a fixed order: the
 * same bits at every width and thread count. Channels are split over threads, never a channel's sum.
 */
public final class ChannelOps {
    private ChannelOps() {
    }

    /** out[0..C) is overwritten with the channel sums. */
    public static void channelSums(WorkerPool pool, SimdWidth width, int n, int c, int hw, float[] x, int xOffset,
                                   double[] out) {
        pool.split(c, minChannels(n, hw), (c0, c1) -> {
            LaneSums.Scratch s = LaneSums.scratch();
            for (int ch = c0; ch < c1; ch++) {
                LaneSums.sums(width, n, c, hw, ch, x, xOffset, s);
                out[ch] = LaneSums.combine(s.lanes, 0);
            }
        });
    }

    /**
     * out[0..C) is overwritten with the per-channel sums of a*b: {@link #channelSumsAndDots} with the sums
     * dropped (their chains run alongside the dot products' at almost no cost).
     */
    public static void channelDots(WorkerPool pool, SimdWidth width, int n, int c, int hw, float[] a, int aOffset,
                                   float[] b, int bOffset, double[] out) {
        pool.split(c, minChannels(n, hw), (c0, c1) -> {
            LaneSums.Scratch s = LaneSums.scratch();
            for (int ch = c0; ch < c1; ch++) {
                LaneSums.sumsAndDots(width, n, c, hw, ch, a, aOffset, null, 0, b, bOffset, s);
                out[ch] = LaneSums.combine(s.lanes, LaneSums.LANES);
            }
        });
    }

    /**
     * sums = channelSums(a) and dots = channelDots(a, b) in one pass over a, with the same chains each, so
     * both equal the separate calls bit for bit.
     */
    public static void channelSumsAndDots(WorkerPool pool, SimdWidth width, int n, int c, int hw, float[] a,
                                          int aOffset, float[] b, int bOffset, double[] sums, double[] dots) {
        channelMaskedSumsAndDots(pool, width, n, c, hw, a, aOffset, null, 0, b, bOffset, sums, dots);
    }

    /**
     * y = x + shift[ch] and squares[ch] = sum of y*y (the chains of {@link #channelDots}) in one pass;
     * channels are split over threads.
     */
    public static void channelCenterSquares(WorkerPool pool, SimdWidth width, int n, int c, int hw, float[] x,
                                            int xOffset, float[] shift, float[] y, int yOffset, double[] squares) {
        pool.split(c, minChannels(n, hw), (c0, c1) -> {
            LaneSums.Scratch s = LaneSums.scratch();
            for (int ch = c0; ch < c1; ch++) {
                LaneSums.centerSquares(width, n, c, hw, ch, x, xOffset, shift[ch], y, yOffset, s);
                squares[ch] = LaneSums.combine(s.lanes, 0);
            }
        });
    }

    /**
     * y = x*scale[ch] + shift[ch] (null scale = 1, null shift = 0); y is overwritten, may be x. Vector code at
     * the configured width ({@link ChannelRows}; C2 left the plain loop scalar, y possibly being x); lane by
     * lane the same float multiply and add, so the same bits at every width.
     */
    public static void channelAffine(WorkerPool pool, SimdWidth width, int n, int c, int hw, float[] x, int xOffset,
                                     float[] scale, float[] shift, float[] y, int yOffset) {
        pool.split(n * c, WorkerPool.minItems(hw), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int ch = r % c;
                float s = scale == null ? 1f : scale[ch];
                float t = shift == null ? 0f : shift[ch];
                int xi = xOffset + r * hw;
                int yi = yOffset + r * hw;
                for (int j = ChannelRows.affine(width, hw, x, xi, s, t, y, yi); j < hw; j++) {
                    y[yi + j] = x[xi + j] * s + t;
                }
            }
        });
    }

    /**
     * y += (sa[ch]*a + sb[ch]*b) + shift[ch]; y is modified (rows of (n, c) split over threads). Vector code at
     * the configured width ({@link ChannelRows}), lane by lane the same float operations as the scalar tail.
     */
    public static void channelCombineAccumulate(WorkerPool pool, SimdWidth width, int n, int c, int hw, float[] a,
                                                int aOffset, float[] sa, float[] b, int bOffset, float[] sb,
                                                float[] shift, float[] y, int yOffset) {
        combine(pool, width, n, c, hw, a, aOffset, sa, b, bOffset, sb, shift, y, yOffset, true);
    }

    /**
     * {@link #channelCombineAccumulate} into a y that holds nothing yet: y is overwritten with what accumulating
     * into zeros gives, bit for bit, and never read.
     */
    public static void channelCombineStore(WorkerPool pool, SimdWidth width, int n, int c, int hw, float[] a,
                                           int aOffset, float[] sa, float[] b, int bOffset, float[] sb,
                                           float[] shift, float[] y, int yOffset) {
        combine(pool, width, n, c, hw, a, aOffset, sa, b, bOffset, sb, shift, y, yOffset, false);
    }

    private static void combine(WorkerPool pool, SimdWidth width, int n, int c, int hw, float[] a, int aOffset,
                                float[] sa, float[] b, int bOffset, float[] sb, float[] shift, float[] y, int yOffset,
                                boolean accumulate) {
        pool.split(n * c, WorkerPool.minItems(hw), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int ch = r % c;
                float s1 = sa[ch];
                float s2 = sb[ch];
                float t = shift[ch];
                int ai = aOffset + r * hw;
                int bi = bOffset + r * hw;
                int yi = yOffset + r * hw;
                int j = ChannelRows.combine(width, hw, a, ai, s1, b, bi, s2, t, y, yi, accumulate);
                for (; j < hw; j++) {
                    float v = (s1 * a[ai + j] + s2 * b[bi + j]) + t;
                    y[yi + j] = (accumulate ? y[yi + j] : 0f) + v;
                }
            }
        });
    }

    /** y[r][c] = x[r][c] + bias[r], then max(0, .) if relu; y is overwritten, may be x. */
    public static void biasRelu(WorkerPool pool, int rows, int cols, float[] x, int xOffset, float[] bias,
                                float[] y, int yOffset, boolean relu) {
        pool.split(rows, WorkerPool.minItems(cols), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                float b = bias == null ? 0f : bias[r];
                int xi = xOffset + r * cols;
                int yi = yOffset + r * cols;
                if (relu) {
                    for (int j = 0; j < cols; j++) {
                        float v = x[xi + j] + b;
                        y[yi + j] = v > 0f ? v : 0f;
                    }
                } else {
                    for (int j = 0; j < cols; j++) {
                        y[yi + j] = x[xi + j] + b;
                    }
                }
            }
        });
    }

    /**
     * y = max(0, x*scale[ch] + shift[ch]) (batch norm and ReLU in one pass): bit for bit {@link #channelAffine}
     * followed by {@link Elementwise#relu}; y is overwritten, may be x. Rows of (n, c) are split over threads.
     */
    public static void channelAffineRelu(WorkerPool pool, SimdWidth width, int n, int c, int hw, float[] x,
                                         int xOffset, float[] scale, float[] shift, float[] y, int yOffset) {
        pool.split(n * c, WorkerPool.minItems(hw), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int ch = r % c;
                float s = scale[ch];
                float t = shift[ch];
                int xi = xOffset + r * hw;
                int yi = yOffset + r * hw;
                for (int j = ChannelRows.affineRelu(width, hw, x, xi, s, t, y, yi); j < hw; j++) {
                    float v = x[xi + j] * s + t;
                    y[yi + j] = v > 0f ? v : 0f;
                }
            }
        });
    }

    /**
     * {@link #channelSumsAndDots} of a' and b, where a' is what a ReLU's backward passes on: a where
     * mask > 0 (mask is the ReLU's output or input), else 0 (a' = 0 + a, exactly as {@link Elementwise#reluBackward}
     * accumulates into a zeroed buffer). Bit for bit that backward followed by channelSumsAndDots, without
     * writing a'. A null mask means a' = a (that is channelSumsAndDots).
     */
    public static void channelMaskedSumsAndDots(WorkerPool pool, SimdWidth width, int n, int c, int hw, float[] a,
                                                int aOffset, float[] mask, int maskOffset, float[] b, int bOffset,
                                                double[] sums, double[] dots) {
        pool.split(c, minChannels(n, hw), (c0, c1) -> {
            LaneSums.Scratch s = LaneSums.scratch();
            for (int ch = c0; ch < c1; ch++) {
                LaneSums.sumsAndDots(width, n, c, hw, ch, a, aOffset, mask, maskOffset, b, bOffset, s);
                sums[ch] = LaneSums.combine(s.lanes, 0);
                dots[ch] = LaneSums.combine(s.lanes, LaneSums.LANES);
            }
        });
    }

    /**
     * {@link #channelCombineAccumulate} with a replaced by the ReLU-masked a' of
     * {@link #channelMaskedSumsAndDots}: y += (sa[ch]*a' + sb[ch]*b) + shift[ch], bit for bit the unfused pair.
     */
    public static void channelMaskedCombineAccumulate(WorkerPool pool, SimdWidth width, int n, int c, int hw,
                                                      float[] a, int aOffset, float[] mask, int maskOffset,
                                                      float[] sa, float[] b, int bOffset, float[] sb,
                                                      float[] shift, float[] y, int yOffset) {
        maskedCombine(pool, width, n, c, hw, a, aOffset, mask, maskOffset, sa, b, bOffset, sb, shift, y, yOffset, true);
    }

    /** {@link #channelMaskedCombineAccumulate} into a y that holds nothing yet, as {@link #channelCombineStore}. */
    public static void channelMaskedCombineStore(WorkerPool pool, SimdWidth width, int n, int c, int hw,
                                                 float[] a, int aOffset, float[] mask, int maskOffset,
                                                 float[] sa, float[] b, int bOffset, float[] sb,
                                                 float[] shift, float[] y, int yOffset) {
        maskedCombine(pool, width, n, c, hw, a, aOffset, mask, maskOffset, sa, b, bOffset, sb, shift, y, yOffset, false);
    }

    private static void maskedCombine(WorkerPool pool, SimdWidth width, int n, int c, int hw, float[] a, int aOffset,
                                      float[] mask, int maskOffset, float[] sa, float[] b, int bOffset, float[] sb,
                                      float[] shift, float[] y, int yOffset, boolean accumulate) {
        pool.split(n * c, WorkerPool.minItems(hw), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int ch = r % c;
                float s1 = sa[ch];
                float s2 = sb[ch];
                float t = shift[ch];
                int ai = aOffset + r * hw;
                int mi = maskOffset + r * hw;
                int bi = bOffset + r * hw;
                int yi = yOffset + r * hw;
                int j = ChannelRows.maskedCombine(width, hw, a, ai, mask, mi, s1, b, bi, s2, t, y, yi, accumulate);
                for (; j < hw; j++) {
                    float av = mask[mi + j] > 0f ? 0f + a[ai + j] : 0f;
                    float v = (s1 * av + s2 * b[bi + j]) + t;
                    y[yi + j] = (accumulate ? y[yi + j] : 0f) + v;
                }
            }
        });
    }

    private static int minChannels(int n, int hw) {
        return WorkerPool.minItems((long) n * hw);
    }
}
