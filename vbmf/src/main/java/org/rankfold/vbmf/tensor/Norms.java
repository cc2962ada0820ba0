package org.rankfold.vbmf.tensor;

/** Norms of flat float64 arrays. */
public final class Norms {
    private Norms() {
    }

    /**
     * Frobenius norm {@code sqrt(sum v_i^2)}, computed as {@code scale * sqrt(sum (v_i/scale)^2)} with
     * {@code scale = max |v_i|} so that it neither overflows nor underflows (LAPACK's dnrm2 idea, two passes).
     */
    public static double frobenius(double[] v) {
        double scale = 0;
        for (double x : v) {
            scale = Math.max(scale, Math.abs(x));
        }
        if (scale == 0 || !Double.isFinite(scale)) {
            return scale;
        }
        double sum = 0;
        for (double x : v) {
            double y = x / scale;
            sum += y * y;
        }
        return scale * Math.sqrt(sum);
    }

    /** Frobenius norm of {@code a - b} (same lengths). */
    public static double frobeniusOfDifference(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " vs " + b.length);
        }
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return frobenius(d);
    }
}
