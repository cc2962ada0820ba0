package org.rankfold.kernels.cpu;

/**
 * The summation pattern of the per-channel reductions in {@link ChannelOps}, defined independently of the
 * vector width so that every width (and the scalar code) gives the same bits: a channel's values are summed
 * in {@link #LANES} double chains, value j of every (image, channel) row going to chain j mod LANES, rows in
 * image order; the chains are then combined by {@link #combine}. At 512 bits the chains run as two double
 * vectors ({@link LaneSums512}); at 256 and 128 bits and in scalar mode as 16 doubles ({@link LaneSumsScalar}):
 * vector versions for those widths (four 256-bit or eight 128-bit double vectors) gave the same bits and were
 * 1.5-2x faster alone, but in a training step at their width the other kernels (im2col, col2im, GEMM) then
 * ran the Vector API's allocating fallback, megabytes per step. Products of two floats are exact in double,
 * so a chain's every step is the same rounding whichever code runs it.
 */
final class LaneSums {
    /** Chains per reduction: two 512-bit double vectors, enough independent adds to hide their latency. */
    static final int LANES = 16;

    private LaneSums() {
    }

    /**
     * One worker's scratch: the chains' values (two reductions of {@link #LANES}), which carry them from one
     * row to the next, and a row for the ReLU-masked values.
     */
    static final class Scratch {
        final double[] lanes = new double[2 * LANES];
        private float[] row = new float[0];

        /** A row of at least hw floats (for the ReLU-masked values); grows to the largest hw seen. */
        float[] row(int hw) {
            if (row.length < hw) {
                row = new float[hw];
            }
            return row;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** This thread's scratch. */
    static Scratch scratch() {
        return SCRATCH.get();
    }

    /** The chains lanes[off..off+16) combined in a fixed halving order: k with k+8, then k+4, k+2, k+1. */
    static double combine(double[] l, int off) {
        double a0 = l[off] + l[off + 8];
        double a1 = l[off + 1] + l[off + 9];
        double a2 = l[off + 2] + l[off + 10];
        double a3 = l[off + 3] + l[off + 11];
        double a4 = l[off + 4] + l[off + 12];
        double a5 = l[off + 5] + l[off + 13];
        double a6 = l[off + 6] + l[off + 14];
        double a7 = l[off + 7] + l[off + 15];
        double b0 = a0 + a4;
        double b1 = a1 + a5;
        double b2 = a2 + a6;
        double b3 = a3 + a7;
        return (b0 + b2) + (b1 + b3);
    }

    /** Channel ch's sums of x into lanes[0..16). */
    static void sums(SimdWidth width, int n, int c, int hw, int ch, float[] x, int xOffset, Scratch s) {
        switch (width) {
            case BITS_512 -> LaneSums512.sums(n, c, hw, ch, x, xOffset, s);
            case BITS_256, BITS_128, SCALAR -> LaneSumsScalar.sums(n, c, hw, ch, x, xOffset, s);
        }
    }

    /**
     * Channel ch's sums of a' into lanes[0..16) and of a'*b into lanes[16..32), where a' = a, or with a mask
     * a' = (mask > 0 ? 0 + a : 0) (what a ReLU's backward passes on).
     */
    static void sumsAndDots(SimdWidth width, int n, int c, int hw, int ch, float[] a, int aOffset, float[] mask,
                            int maskOffset, float[] b, int bOffset, Scratch s) {
        switch (width) {
            case BITS_512 -> LaneSums512.sumsAndDots(n, c, hw, ch, a, aOffset, mask, maskOffset, b, bOffset, s);
            case BITS_256, BITS_128, SCALAR ->
                    LaneSumsScalar.sumsAndDots(n, c, hw, ch, a, aOffset, mask, maskOffset, b, bOffset, s);
        }
    }

    /** Channel ch: y = x + t, and the sums of y*y into lanes[0..16) (the chains of a dot product of y with y). */
    static void centerSquares(SimdWidth width, int n, int c, int hw, int ch, float[] x, int xOffset, float t,
                              float[] y, int yOffset, Scratch s) {
        switch (width) {
            case BITS_512 -> LaneSums512.centerSquares(n, c, hw, ch, x, xOffset, t, y, yOffset, s);
            case BITS_256, BITS_128, SCALAR ->
                    LaneSumsScalar.centerSquares(n, c, hw, ch, x, xOffset, t, y, yOffset, s);
        }
    }

    /**
     * Chains l[0..rem) += a' and, when b is not null, l[16..16 + rem) += a'*b over a row's last rem (< 16)
     * values, a' = a, or (mask > 0 ? 0 + a : 0) with a mask: the scalar tail of a vector row.
     */
    static void sumTail(float[] a, int ai, float[] mask, int mi, float[] b, int bi, int rem, double[] l) {
        for (int k = 0; k < rem; k++) {
            float av = mask == null ? a[ai + k] : mask[mi + k] > 0f ? 0f + a[ai + k] : 0f;
            l[k] += av;
            if (b != null) {
                l[LANES + k] += (double) av * b[bi + k];
            }
        }
    }

    /** y = x + t and chains l[0..rem) += y*y over a row's last rem (< 16) values. */
    static void centerSquareTail(float[] x, int xi, float t, float[] y, int yi, int rem, double[] l) {
        for (int k = 0; k < rem; k++) {
            float v = x[xi + k] + t;
            y[yi + k] = v;
            l[k] += (double) v * v;
        }
    }
}
