package org.rankfold.kernels.cpu;

import java.util.Arrays;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link LaneSums}' 16 chains as eight 128-bit double vectors (chains 2g and 2g+1 in vector g), fed by 64-bit
 * float loads widened to double. A row is summed in two passes, chains 0-7 then 8-15 (each chain still takes
 * its values in row order): with all sixteen vectors (32 with dot products) in one loop C2 kept boxing them.
 *
 * <p>The chains stay in vectors within a row and pass between rows through the scratch lanes: vectors
 * carried across the row loop and its tail branch were not scalarised by C2, which then allocated a box per
 * vector operation.
 * A row's last hw mod 16 values are copied to the zero-padded scratch tail and summed as one more block
 * (masked loads of 2-lane float vectors are not intrinsified).
 * The ReLU mask is applied by a full-width pass into a scratch row ({@link #maskRow}), as masked operations
 * on narrow float vectors are not always intrinsified.
 */
final class LaneSums128 {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_64;
    private static final VectorSpecies<Float> FULL = FloatVector.SPECIES_128;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_128;
    private static final int BLOCK = LaneSums.LANES;

    private LaneSums128() {
    }

    static void sums(int n, int c, int hw, int ch, float[] x, int xOffset, LaneSums.Scratch s) {
        Arrays.fill(s.lanes, 0, BLOCK, 0.0);
        int full = hw - hw % BLOCK;
        for (int i = 0; i < n; i++) {
            int xi = xOffset + (i * c + ch) * hw;
            for (int lo = 0; lo < BLOCK; lo += BLOCK / 2) {
                sumRow(x, xi, full, s.lanes, lo);
            }
            if (full < hw) {
                LaneSums.copyTail(x, xi + full, null, 0, hw - full, s.tailA);
                for (int lo = 0; lo < BLOCK; lo += BLOCK / 2) {
                    sumRow(s.tailA, 0, BLOCK, s.lanes, lo);
                }
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
            for (int lo = 0; lo < BLOCK; lo += BLOCK / 2) {
                sumDotRow(a, ai, b, bi, full, s.lanes, lo);
            }
            if (full < hw) {
                LaneSums.copyTail(a, ai + full, null, 0, hw - full, s.tailA);
                LaneSums.copyTail(b, bi + full, null, 0, hw - full, s.tailB);
                for (int lo = 0; lo < BLOCK; lo += BLOCK / 2) {
                    sumDotRow(s.tailA, 0, s.tailB, 0, BLOCK, s.lanes, lo);
                }
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
            for (int lo = 0; lo < BLOCK; lo += BLOCK / 2) {
                sumDotRow(masked, 0, b, bi, full, s.lanes, lo);
            }
            if (full < hw) {
                LaneSums.copyTail(a, ai + full, mask, mi + full, hw - full, s.tailA);
                LaneSums.copyTail(b, bi + full, null, 0, hw - full, s.tailB);
                for (int lo = 0; lo < BLOCK; lo += BLOCK / 2) {
                    sumDotRow(s.tailA, 0, s.tailB, 0, BLOCK, s.lanes, lo);
                }
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
            for (int lo = 0; lo < BLOCK; lo += BLOCK / 2) {
                centerSquareRow(x, xi, t, y, yi, full, s.lanes, lo);
            }
            if (full < hw) {
                LaneSums.centerTail(x, xi + full, t, y, yi + full, hw - full, s.tailA);
                for (int lo = 0; lo < BLOCK; lo += BLOCK / 2) {
                    squareRow(s.tailA, 0, BLOCK, s.lanes, lo);
                }
            }
        }
    }

    /** Chains l[lo..) += the first len (a multiple of 16) values from x[xi] (chains lo..lo+7). */
    private static void sumRow(float[] x, int xi, int len, double[] l, int lo) {
        DoubleVector s0 = DoubleVector.fromArray(D, l, lo);
        DoubleVector s1 = DoubleVector.fromArray(D, l, lo + 2);
        DoubleVector s2 = DoubleVector.fromArray(D, l, lo + 4);
        DoubleVector s3 = DoubleVector.fromArray(D, l, lo + 6);
        for (int j = lo; j < len; j += BLOCK) {
            s0 = s0.add(wide(x, xi + j));
            s1 = s1.add(wide(x, xi + j + 2));
            s2 = s2.add(wide(x, xi + j + 4));
            s3 = s3.add(wide(x, xi + j + 6));
        }
        s0.intoArray(l, lo);
        s1.intoArray(l, lo + 2);
        s2.intoArray(l, lo + 4);
        s3.intoArray(l, lo + 6);
    }

    /** Chains l[lo..) += a and l[16 + lo..) += a*b over the first len values (chains lo..lo+7). */
    private static void sumDotRow(float[] a, int ai, float[] b, int bi, int len, double[] l, int lo) {
        DoubleVector s0 = DoubleVector.fromArray(D, l, lo);
        DoubleVector s1 = DoubleVector.fromArray(D, l, lo + 2);
        DoubleVector s2 = DoubleVector.fromArray(D, l, lo + 4);
        DoubleVector s3 = DoubleVector.fromArray(D, l, lo + 6);
        DoubleVector d0 = DoubleVector.fromArray(D, l, lo + 16);
        DoubleVector d1 = DoubleVector.fromArray(D, l, lo + 18);
        DoubleVector d2 = DoubleVector.fromArray(D, l, lo + 20);
        DoubleVector d3 = DoubleVector.fromArray(D, l, lo + 22);
        for (int j = lo; j < len; j += BLOCK) {
            DoubleVector a0 = wide(a, ai + j);
            DoubleVector a1 = wide(a, ai + j + 2);
            DoubleVector a2 = wide(a, ai + j + 4);
            DoubleVector a3 = wide(a, ai + j + 6);
            s0 = s0.add(a0);
            s1 = s1.add(a1);
            s2 = s2.add(a2);
            s3 = s3.add(a3);
            d0 = d0.add(a0.mul(wide(b, bi + j)));
            d1 = d1.add(a1.mul(wide(b, bi + j + 2)));
            d2 = d2.add(a2.mul(wide(b, bi + j + 4)));
            d3 = d3.add(a3.mul(wide(b, bi + j + 6)));
        }
        s0.intoArray(l, lo);
        s1.intoArray(l, lo + 2);
        s2.intoArray(l, lo + 4);
        s3.intoArray(l, lo + 6);
        d0.intoArray(l, lo + 16);
        d1.intoArray(l, lo + 18);
        d2.intoArray(l, lo + 20);
        d3.intoArray(l, lo + 22);
    }

    /** y = x + t and chains l[lo..) += y*y over the first len values (chains lo..lo+7). */
    private static void centerSquareRow(float[] x, int xi, float t, float[] y, int yi, int len, double[] l,
                                        int lo) {
        DoubleVector q0 = DoubleVector.fromArray(D, l, lo);
        DoubleVector q1 = DoubleVector.fromArray(D, l, lo + 2);
        DoubleVector q2 = DoubleVector.fromArray(D, l, lo + 4);
        DoubleVector q3 = DoubleVector.fromArray(D, l, lo + 6);
        for (int j = lo; j < len; j += BLOCK) {
            FloatVector v0 = FloatVector.fromArray(F, x, xi + j).add(t);
            FloatVector v1 = FloatVector.fromArray(F, x, xi + j + 2).add(t);
            FloatVector v2 = FloatVector.fromArray(F, x, xi + j + 4).add(t);
            FloatVector v3 = FloatVector.fromArray(F, x, xi + j + 6).add(t);
            v0.intoArray(y, yi + j);
            v1.intoArray(y, yi + j + 2);
            v2.intoArray(y, yi + j + 4);
            v3.intoArray(y, yi + j + 6);
            DoubleVector w0 = (DoubleVector) v0.castShape(D, 0);
            DoubleVector w1 = (DoubleVector) v1.castShape(D, 0);
            DoubleVector w2 = (DoubleVector) v2.castShape(D, 0);
            DoubleVector w3 = (DoubleVector) v3.castShape(D, 0);
            q0 = q0.add(w0.mul(w0));
            q1 = q1.add(w1.mul(w1));
            q2 = q2.add(w2.mul(w2));
            q3 = q3.add(w3.mul(w3));
        }
        q0.intoArray(l, lo);
        q1.intoArray(l, lo + 2);
        q2.intoArray(l, lo + 4);
        q3.intoArray(l, lo + 6);
    }

    /** Chains l[lo..) += v*v over the first len values of v (chains lo..lo+7). */
    private static void squareRow(float[] v, int vi, int len, double[] l, int lo) {
        DoubleVector q0 = DoubleVector.fromArray(D, l, lo);
        DoubleVector q1 = DoubleVector.fromArray(D, l, lo + 2);
        DoubleVector q2 = DoubleVector.fromArray(D, l, lo + 4);
        DoubleVector q3 = DoubleVector.fromArray(D, l, lo + 6);
        for (int j = lo; j < len; j += BLOCK) {
            DoubleVector w0 = wide(v, vi + j);
            DoubleVector w1 = wide(v, vi + j + 2);
            DoubleVector w2 = wide(v, vi + j + 4);
            DoubleVector w3 = wide(v, vi + j + 6);
            q0 = q0.add(w0.mul(w0));
            q1 = q1.add(w1.mul(w1));
            q2 = q2.add(w2.mul(w2));
            q3 = q3.add(w3.mul(w3));
        }
        q0.intoArray(l, lo);
        q1.intoArray(l, lo + 2);
        q2.intoArray(l, lo + 4);
        q3.intoArray(l, lo + 6);
    }

    /** out[0..len) = (mask > 0 ? 0 + a : 0), as {@link Elementwise#reluBackward} gives it; len is a multiple of 16. */
    private static void maskRow(float[] a, int ai, float[] mask, int mi, int len, float[] out) {
        FloatVector zero = FloatVector.zero(FULL);
        for (int j = 0; j < len; j += FULL.length()) {
            FloatVector open = FloatVector.fromArray(FULL, mask, mi + j);
            zero.add(FloatVector.fromArray(FULL, a, ai + j), open.compare(VectorOperators.GT, 0f)).intoArray(out, j);
        }
    }

    private static DoubleVector wide(float[] a, int offset) {
        return (DoubleVector) FloatVector.fromArray(F, a, offset).castShape(D, 0);
    }
}
