package org.rankfold.kernels.testing;

import static org.junit.jupiter.api.Assertions.fail;

/** Element-wise comparison that reports the worst element and its index on failure. */
public final class Arrays2 {
    private Arrays2() {
    }

    /** Asserts |actual - expected| <= atol + rtol*|expected| everywhere. */
    public static void assertClose(String what, double[] expected, double[] actual, double rtol, double atol) {
        if (expected.length != actual.length) {
            fail(what + ": length " + actual.length + " != expected " + expected.length);
        }
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            double allowed = atol + rtol * Math.abs(expected[i]);
            boolean bad = !(err <= allowed) || Double.isNaN(actual[i]) != Double.isNaN(expected[i]);
            if (bad && (worst < 0 || err - allowed > worstExcess || Double.isNaN(err))) {
                worst = i;
                worstExcess = err - allowed;
            }
        }
        if (worst >= 0) {
            fail(String.format("%s: worst element [%d]: got %.9g, expected %.9g (|diff| %.3g, allowed %.3g)",
                    what, worst, actual[worst], expected[worst], Math.abs(actual[worst] - expected[worst]),
                    atol + rtol * Math.abs(expected[worst])));
        }
    }

    public static void assertClose(String what, float[] expected, float[] actual, double rtol, double atol) {
        assertClose(what, toDouble(expected), toDouble(actual), rtol, atol);
    }

    /** Golden-style check: atol is scaled by max(1, max|expected|). */
    public static void assertGolden(String what, double[] expected, double[] actual, double rtol, double atol) {
        double maxAbs = 1;
        for (double v : expected) {
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        assertClose(what, expected, actual, rtol, atol * maxAbs);
    }

    public static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    public static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    /**
     * Plants the values a ReLU mask or a gradient store must treat exactly: 0 at the start, -0 at a third and at
     * the end, NaN in the middle; returns v.
     */
    public static float[] withSpecials(float[] v) {
        v[0] = 0f;
        v[v.length / 3] = -0f;
        v[v.length / 2] = Float.NaN;
        v[v.length - 1] = -0f;
        return v;
    }
}
