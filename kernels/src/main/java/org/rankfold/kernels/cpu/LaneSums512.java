package org.rankfold.kernels.cpu;

import java.util.Arrays;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link LaneSums}' 16 chains as two 512-bit double vectors (chains 0-7 and 8-15), fed by 512-bit float loads
 * whose halves are widened to double.
 *
 * <p>Only full-width float vectors are used, as in the other kernels: a second float vector class in the hot
 * code (a half-width load cast to double) left C2 unable to compile the kernels that read their species from
 * the width at run time (im2col, col2im) and the GEMM micro-kernels without the Vector API's allocating
 * fallback, and a training step allocated megabytes ({@code StepArenaTest}). The chains stay in vectors
 * within a row and pass between rows through the scratch lanes (vectors carried across the row loop and a
 * tail branch were boxed too). A row's last hw mod 16 values are added to their chains in scalar code
 * ({@link LaneSums#sumTail}), so each method inlines one copy of its vector loop. The ReLU mask is applied by
 * a full-width pass into a scratch row ({@link #maskRow}).
 *
 * <p>The halves are widened in place, {@code convertShape(F2D, D, 0 or 1)} with a literal part: a helper taking
 * the part as an argument was sometimes compiled on its own (not inlined), where the part is no constant and
 * C2 keeps the allocating fallback for every vector (seen as 43 MB per fashionnet step in
 * {@code StepArenaTest}, stuck for thousands of steps, on some runs only).
 */
final class LaneSums512 {
    private static final VectorSpecies<Float> FULL = FloatVector.SPECIES_512;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_512;
    private static final int BLOCK = LaneSums.LANES;

    private LaneSums512() {
    }

    static void sums(int n, int c, int hw, int ch, float[] x, int xOffset, LaneSums.Scratch s) {
        Arrays.fill(s.lanes, 0, BLOCK, 0.0);
        int full = hw - hw % BLOCK;
        for (int i = 0; i < n; i++) {
            int xi = xOffset + (i * c + ch) * hw;
            sumRow(x, xi, full, s.lanes, 0);
            if (full < hw) {
                LaneSums.sumTail(x, xi + full, null, 0, null, 0, hw - full, s.lanes);
            }
        }
    }

    static void sumsAndDots(int n, int c, int hw, int ch, float[] a, int aOffset, float[] mask, int maskOffset,
                            float[] b, int bOffset, LaneSums.Scratch s) {
        Arrays.fill(s.lanes, 0.0);
        if (mask == null) {
            plainSumsAndDots(n, c, hw, ch, a, aOffset, b, bOffset, s);
        } else {
            maskedSumsAndDots(n, c, hw, ch, a, aOffset, mask, maskOffset, b, bOffset, s);
        }
    }

    private static void plainSumsAndDots(int n, int c, int hw, int ch, float[] a, int aOffset, float[] b, int bOffset,
                                         LaneSums.Scratch s) {
        int full = hw - hw % BLOCK;
        for (int i = 0; i < n; i++) {
            int row = (i * c + ch) * hw;
            int ai = aOffset + row;
            int bi = bOffset + row;
            sumDotRow(a, ai, b, bi, full, s.lanes, 0);
            if (full < hw) {
                LaneSums.sumTail(a, ai + full, null, 0, b, bi + full, hw - full, s.lanes);
            }
        }
    }

    /** The ReLU-masked rows are written to a scratch row by {@link #maskRow}, then summed as plain rows. */
    private static void maskedSumsAndDots(int n, int c, int hw, int ch, float[] a, int aOffset, float[] mask,
                                          int maskOffset, float[] b, int bOffset, LaneSums.Scratch s) {
        int full = hw - hw % BLOCK;
        float[] masked = s.row(hw);
        for (int i = 0; i < n; i++) {
            int row = (i * c + ch) * hw;
            int ai = aOffset + row;
            int bi = bOffset + row;
            int mi = maskOffset + row;
            maskRow(a, ai, mask, mi, full, masked);
            sumDotRow(masked, 0, b, bi, full, s.lanes, 0);
            if (full < hw) {
                LaneSums.sumTail(a, ai + full, mask, mi + full, b, bi + full, hw - full, s.lanes);
            }
        }
    }

    static void centerSquares(int n, int c, int hw, int ch, float[] x, int xOffset, float t, float[] y, int yOffset,
                              LaneSums.Scratch s) {
        Arrays.fill(s.lanes, 0, BLOCK, 0.0);
        int full = hw - hw % BLOCK;
        for (int i = 0; i < n; i++) {
            int row = (i * c + ch) * hw;
            int xi = xOffset + row;
            int yi = yOffset + row;
            centerSquareRow(x, xi, t, y, yi, full, s.lanes, 0);
            if (full < hw) {
                LaneSums.centerSquareTail(x, xi + full, t, y, yi + full, hw - full, s.lanes);
            }
        }
    }

    /** Chains l[lo..) += the first len (a multiple of 16) values from x[xi] (16 chains). */
    private static void sumRow(float[] x, int xi, int len, double[] l, int lo) {
        DoubleVector s0 = DoubleVector.fromArray(D, l, lo);
        DoubleVector s1 = DoubleVector.fromArray(D, l, lo + 8);
        for (int j = lo; j < len; j += BLOCK) {
            FloatVector x0 = FloatVector.fromArray(FULL, x, xi + j);
            s0 = s0.add((DoubleVector) x0.convertShape(VectorOperators.F2D, D, 0));
            s1 = s1.add((DoubleVector) x0.convertShape(VectorOperators.F2D, D, 1));
        }
        s0.intoArray(l, lo);
        s1.intoArray(l, lo + 8);
    }

    /** Chains l[lo..) += a and l[16 + lo..) += a*b over the first len values (16 chains). */
    private static void sumDotRow(float[] a, int ai, float[] b, int bi, int len, double[] l, int lo) {
        DoubleVector s0 = DoubleVector.fromArray(D, l, lo);
        DoubleVector s1 = DoubleVector.fromArray(D, l, lo + 8);
        DoubleVector d0 = DoubleVector.fromArray(D, l, lo + 16);
        DoubleVector d1 = DoubleVector.fromArray(D, l, lo + 24);
        for (int j = lo; j < len; j += BLOCK) {
            FloatVector a0 = FloatVector.fromArray(FULL, a, ai + j);
            FloatVector b0 = FloatVector.fromArray(FULL, b, bi + j);
            DoubleVector h0 = (DoubleVector) a0.convertShape(VectorOperators.F2D, D, 0);
            s0 = s0.add(h0);
            d0 = d0.add(h0.mul((DoubleVector) b0.convertShape(VectorOperators.F2D, D, 0)));
            DoubleVector h1 = (DoubleVector) a0.convertShape(VectorOperators.F2D, D, 1);
            s1 = s1.add(h1);
            d1 = d1.add(h1.mul((DoubleVector) b0.convertShape(VectorOperators.F2D, D, 1)));
        }
        s0.intoArray(l, lo);
        s1.intoArray(l, lo + 8);
        d0.intoArray(l, lo + 16);
        d1.intoArray(l, lo + 24);
    }

    /** y = x + t and chains l[lo..) += y*y over the first len values (16 chains). */
    private static void centerSquareRow(float[] x, int xi, float t, float[] y, int yi, int len, double[] l,
                                        int lo) {
        DoubleVector q0 = DoubleVector.fromArray(D, l, lo);
        DoubleVector q1 = DoubleVector.fromArray(D, l, lo + 8);
        for (int j = lo; j < len; j += BLOCK) {
            FloatVector v0 = FloatVector.fromArray(FULL, x, xi + j).add(t);
            v0.intoArray(y, yi + j);
            DoubleVector w0 = (DoubleVector) v0.convertShape(VectorOperators.F2D, D, 0);
            q0 = q0.add(w0.mul(w0));
            DoubleVector w1 = (DoubleVector) v0.convertShape(VectorOperators.F2D, D, 1);
            q1 = q1.add(w1.mul(w1));
        }
        q0.intoArray(l, lo);
        q1.intoArray(l, lo + 8);
    }

    /** out[0..len) = (mask > 0 ? 0 + a : 0), as {@link Elementwise#reluBackward} gives it; len is a multiple of 16. */
    private static void maskRow(float[] a, int ai, float[] mask, int mi, int len, float[] out) {
        FloatVector zero = FloatVector.zero(FULL);
        for (int j = 0; j < len; j += FULL.length()) {
            FloatVector open = FloatVector.fromArray(FULL, mask, mi + j);
            zero.add(FloatVector.fromArray(FULL, a, ai + j), open.compare(VectorOperators.GT, 0f)).intoArray(out, j);
        }
    }
}
