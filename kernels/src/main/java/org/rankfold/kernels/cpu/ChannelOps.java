package org.rankfold.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Per-channel reductions, affine maps and fused bias+ReLU on (N, C, HW) row-major data (channel ch owns
 * {@code x[(i*C + ch)*HW + j]}). Reductions accumulate in double with four partial sums over j in a
 * fixed pattern (independent of threads and vector width), combined in a fixed order; channels are split
 * over threads, never a channel's sum.
 */
public final class ChannelOps {
    private static final int MIN_ELEMENTS_PER_THREAD = 1 << 15;

    private ChannelOps() {
    }

    /** out[0..C) is overwritten with the channel sums. */
    public static void channelSums(WorkerPool pool, int n, int c, int hw, float[] x, int xOffset, double[] out) {
        pool.split(c, minChannels(n, hw), (c0, c1) -> {
            for (int ch = c0; ch < c1; ch++) {
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                for (int i = 0; i < n; i++) {
                    int base = xOffset + (i * c + ch) * hw;
                    int j = 0;
                    for (; j + 3 < hw; j += 4) {
                        s0 += x[base + j];
                        s1 += x[base + j + 1];
                        s2 += x[base + j + 2];
                        s3 += x[base + j + 3];
                    }
                    for (; j < hw; j++) {
                        s0 += x[base + j];
                    }
                }
                out[ch] = (s0 + s1) + (s2 + s3);
            }
        });
    }

    /**
     * out[0..C) is overwritten with the per-channel sums of a*b: {@link #channelSumsAndDots} with the sums
     * dropped (the four extra partial sums run alongside the dot products' at almost no cost).
     */
    public static void channelDots(WorkerPool pool, int n, int c, int hw, float[] a, int aOffset, float[] b, int bOffset,
                                   double[] out) {
        channelSumsAndDots(pool, n, c, hw, a, aOffset, b, bOffset, new double[c], out);
    }

    /**
     * sums = channelSums(a) and dots = channelDots(a, b) in one pass over a, with the same four partial sums
     * each, so both equal the separate calls bit for bit.
     */
    public static void channelSumsAndDots(WorkerPool pool, int n, int c, int hw, float[] a, int aOffset, float[] b,
                                          int bOffset, double[] sums, double[] dots) {
        pool.split(c, minChannels(n, hw), (c0, c1) -> {
            for (int ch = c0; ch < c1; ch++) {
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                double d0 = 0;
                double d1 = 0;
                double d2 = 0;
                double d3 = 0;
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * hw;
                    int ai = aOffset + base;
                    int bi = bOffset + base;
                    int j = 0;
                    for (; j + 3 < hw; j += 4) {
                        float a0 = a[ai + j];
                        float a1 = a[ai + j + 1];
                        float a2 = a[ai + j + 2];
                        float a3 = a[ai + j + 3];
                        s0 += a0;
                        s1 += a1;
                        s2 += a2;
                        s3 += a3;
                        d0 += (double) a0 * b[bi + j];
                        d1 += (double) a1 * b[bi + j + 1];
                        d2 += (double) a2 * b[bi + j + 2];
                        d3 += (double) a3 * b[bi + j + 3];
                    }
                    for (; j < hw; j++) {
                        s0 += a[ai + j];
                        d0 += (double) a[ai + j] * b[bi + j];
                    }
                }
                sums[ch] = (s0 + s1) + (s2 + s3);
                dots[ch] = (d0 + d1) + (d2 + d3);
            }
        });
    }

    /**
     * y = x + shift[ch] and squares[ch] = sum of y*y (the partial sums of {@link #channelDots}) in one pass;
     * channels are split over threads.
     */
    public static void channelCenterSquares(WorkerPool pool, int n, int c, int hw, float[] x, int xOffset,
                                            float[] shift, float[] y, int yOffset, double[] squares) {
        pool.split(c, minChannels(n, hw), (c0, c1) -> {
            for (int ch = c0; ch < c1; ch++) {
                float t = shift[ch];
                double d0 = 0;
                double d1 = 0;
                double d2 = 0;
                double d3 = 0;
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * hw;
                    int xi = xOffset + base;
                    int yi = yOffset + base;
                    int j = 0;
                    for (; j + 3 < hw; j += 4) {
                        float v0 = x[xi + j] + t;
                        float v1 = x[xi + j + 1] + t;
                        float v2 = x[xi + j + 2] + t;
                        float v3 = x[xi + j + 3] + t;
                        y[yi + j] = v0;
                        y[yi + j + 1] = v1;
                        y[yi + j + 2] = v2;
                        y[yi + j + 3] = v3;
                        d0 += (double) v0 * v0;
                        d1 += (double) v1 * v1;
                        d2 += (double) v2 * v2;
                        d3 += (double) v3 * v3;
                    }
                    for (; j < hw; j++) {
                        float v = x[xi + j] + t;
                        y[yi + j] = v;
                        d0 += (double) v * v;
                    }
                }
                squares[ch] = (d0 + d1) + (d2 + d3);
            }
        });
    }

    /** y = x*scale[ch] + shift[ch] (null scale = 1, null shift = 0); y is overwritten, may be x. */
    public static void channelAffine(WorkerPool pool, int n, int c, int hw, float[] x, int xOffset,
                                     float[] scale, float[] shift, float[] y, int yOffset) {
        pool.split(n * c, Math.max(1, MIN_ELEMENTS_PER_THREAD / Math.max(1, hw)), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int ch = r % c;
                float s = scale == null ? 1f : scale[ch];
                float t = shift == null ? 0f : shift[ch];
                int xi = xOffset + r * hw;
                int yi = yOffset + r * hw;
                for (int j = 0; j < hw; j++) {
                    y[yi + j] = x[xi + j] * s + t;
                }
            }
        });
    }

    /** y += (sa[ch]*a + sb[ch]*b) + shift[ch]; y is modified (rows of (n, c) split over threads). */
    public static void channelCombineAccumulate(WorkerPool pool, int n, int c, int hw, float[] a, int aOffset,
                                                float[] sa, float[] b, int bOffset, float[] sb, float[] shift,
                                                float[] y, int yOffset) {
        pool.split(n * c, Math.max(1, MIN_ELEMENTS_PER_THREAD / Math.max(1, hw)), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int ch = r % c;
                float s1 = sa[ch];
                float s2 = sb[ch];
                float t = shift[ch];
                int ai = aOffset + r * hw;
                int bi = bOffset + r * hw;
                int yi = yOffset + r * hw;
                for (int j = 0; j < hw; j++) {
                    y[yi + j] += (s1 * a[ai + j] + s2 * b[bi + j]) + t;
                }
            }
        });
    }

    /** y[r][c] = x[r][c] + bias[r], then max(0, .) if relu; y is overwritten, may be x. */
    public static void biasRelu(WorkerPool pool, int rows, int cols, float[] x, int xOffset, float[] bias,
                                float[] y, int yOffset, boolean relu) {
        pool.split(rows, Math.max(1, MIN_ELEMENTS_PER_THREAD / Math.max(1, cols)), (r0, r1) -> {
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

    /** One masked row of {@link #channelMaskedSumsAndDots}, per thread; grows to the largest HW seen. */
    private static final ThreadLocal<float[][]> MASKED_ROW = ThreadLocal.withInitial(() -> new float[1][0]);

    /**
     * y = max(0, x*scale[ch] + shift[ch]) (batch norm and ReLU in one pass): bit for bit {@link #channelAffine}
     * followed by {@link Elementwise#relu}; y is overwritten, may be x. Rows of (n, c) are split over threads.
     */
    public static void channelAffineRelu(WorkerPool pool, SimdWidth width, int n, int c, int hw, float[] x,
                                         int xOffset, float[] scale, float[] shift, float[] y, int yOffset) {
        pool.split(n * c, Math.max(1, MIN_ELEMENTS_PER_THREAD / Math.max(1, hw)), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int ch = r % c;
                float s = scale[ch];
                float t = shift[ch];
                int xi = xOffset + r * hw;
                int yi = yOffset + r * hw;
                int j = 0;
                if (width != SimdWidth.SCALAR) {
                    VectorSpecies<Float> sp = width.floatSpecies();
                    FloatVector zero = FloatVector.zero(sp);
                    for (int upper = sp.loopBound(hw); j < upper; j += sp.length()) {
                        FloatVector v = FloatVector.fromArray(sp, x, xi + j).mul(s).add(t);
                        zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, yi + j);
                    }
                }
                for (; j < hw; j++) {
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
     * writing a'.
     */
    public static void channelMaskedSumsAndDots(WorkerPool pool, SimdWidth width, int n, int c, int hw, float[] a,
                                                int aOffset, float[] mask, int maskOffset, float[] b, int bOffset,
                                                double[] sums, double[] dots) {
        pool.split(c, minChannels(n, hw), (c0, c1) -> {
            float[][] holder = MASKED_ROW.get();
            if (holder[0].length < hw) {
                holder[0] = new float[hw];
            }
            float[] m = holder[0];
            for (int ch = c0; ch < c1; ch++) {
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                double d0 = 0;
                double d1 = 0;
                double d2 = 0;
                double d3 = 0;
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * hw;
                    int bi = bOffset + base;
                    maskRow(width, hw, a, aOffset + base, mask, maskOffset + base, m);
                    int j = 0;
                    for (; j + 3 < hw; j += 4) {
                        float a0 = m[j];
                        float a1 = m[j + 1];
                        float a2 = m[j + 2];
                        float a3 = m[j + 3];
                        s0 += a0;
                        s1 += a1;
                        s2 += a2;
                        s3 += a3;
                        d0 += (double) a0 * b[bi + j];
                        d1 += (double) a1 * b[bi + j + 1];
                        d2 += (double) a2 * b[bi + j + 2];
                        d3 += (double) a3 * b[bi + j + 3];
                    }
                    for (; j < hw; j++) {
                        s0 += m[j];
                        d0 += (double) m[j] * b[bi + j];
                    }
                }
                sums[ch] = (s0 + s1) + (s2 + s3);
                dots[ch] = (d0 + d1) + (d2 + d3);
            }
        });
    }

    /** out[0..hw) = (mask > 0 ? 0 + a : 0), with vector blends (a branch per element mispredicts half the time). */
    private static void maskRow(SimdWidth width, int hw, float[] a, int ai, float[] mask, int mi, float[] out) {
        int j = 0;
        if (width != SimdWidth.SCALAR) {
            VectorSpecies<Float> sp = width.floatSpecies();
            FloatVector zero = FloatVector.zero(sp);
            for (int upper = sp.loopBound(hw); j < upper; j += sp.length()) {
                VectorMask<Float> open = FloatVector.fromArray(sp, mask, mi + j).compare(VectorOperators.GT, 0f);
                zero.add(FloatVector.fromArray(sp, a, ai + j), open).intoArray(out, j);
            }
        }
        for (; j < hw; j++) {
            out[j] = mask[mi + j] > 0f ? 0f + a[ai + j] : 0f;
        }
    }

    /**
     * {@link #channelCombineAccumulate} with a replaced by the ReLU-masked a' of
     * {@link #channelMaskedSumsAndDots}: y += (sa[ch]*a' + sb[ch]*b) + shift[ch], bit for bit the unfused pair.
     */
    public static void channelMaskedCombineAccumulate(WorkerPool pool, SimdWidth width, int n, int c, int hw,
                                                      float[] a, int aOffset, float[] mask, int maskOffset,
                                                      float[] sa, float[] b, int bOffset, float[] sb,
                                                      float[] shift, float[] y, int yOffset) {
        pool.split(n * c, Math.max(1, MIN_ELEMENTS_PER_THREAD / Math.max(1, hw)), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int ch = r % c;
                float s1 = sa[ch];
                float s2 = sb[ch];
                float t = shift[ch];
                int ai = aOffset + r * hw;
                int mi = maskOffset + r * hw;
                int bi = bOffset + r * hw;
                int yi = yOffset + r * hw;
                int j = 0;
                if (width != SimdWidth.SCALAR) {
                    VectorSpecies<Float> sp = width.floatSpecies();
                    FloatVector zero = FloatVector.zero(sp);
                    for (int upper = sp.loopBound(hw); j < upper; j += sp.length()) {
                        VectorMask<Float> open = FloatVector.fromArray(sp, mask, mi + j).compare(VectorOperators.GT, 0f);
                        FloatVector av = zero.add(FloatVector.fromArray(sp, a, ai + j), open);
                        FloatVector v = av.mul(s1).add(FloatVector.fromArray(sp, b, bi + j).mul(s2)).add(t);
                        FloatVector.fromArray(sp, y, yi + j).add(v).intoArray(y, yi + j);
                    }
                }
                for (; j < hw; j++) {
                    float av = mask[mi + j] > 0f ? 0f + a[ai + j] : 0f;
                    y[yi + j] += (s1 * av + s2 * b[bi + j]) + t;
                }
            }
        });
    }

    private static int minChannels(int n, int hw) {
        return (int) Math.max(1, MIN_ELEMENTS_PER_THREAD / Math.max(1L, (long) n * hw));
    }
}
