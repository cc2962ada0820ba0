package org.rankfold.kernels.cpu;

import java.util.Arrays;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link LaneSums}' 16 chains as two 512-bit double vectors (chains 0-7 and 8-15), fed by 256-bit float loads
 * widened to double (a same-length cast, one instruction).
 *
 * <p>The chains stay in vectors within a row and pass between rows through the scratch lanes: vectors
 * carried across the row loop and its tail branch were not scalarised by C2, which then allocated a box per
 * vector operation.
 * A row's last hw mod 16 values are read by masked loads (0 in the other lanes, an add that changes no
 * chain); behind a ReLU mask they are copied to the
 * zero-padded scratch tail and summed as one more block.
 * The ReLU mask is applied by a full-width pass into a scratch row ({@link #maskRow}), as masked operations
 * on narrow float vectors are not always intrinsified.
 */
final class LaneSums512 {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
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
                sumTail(x, xi + full, hw - full, s.lanes);
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
                sumDotTail(a, ai + full, b, bi + full, hw - full, s.lanes);
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
                LaneSums.copyTail(a, ai + full, mask, mi + full, hw - full, s.tailA);
                LaneSums.copyTail(b, bi + full, null, 0, hw - full, s.tailB);
                sumDotRow(s.tailA, 0, s.tailB, 0, BLOCK, s.lanes, 0);
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
                centerSquareTail(x, xi + full, t, y, yi + full, hw - full, s.lanes);
            }
        }
    }

    /** Chains l[lo..) += the first len (a multiple of 16) values from x[xi] (16 chains). */
    private static void sumRow(float[] x, int xi, int len, double[] l, int lo) {
        DoubleVector s0 = DoubleVector.fromArray(D, l, lo);
        DoubleVector s1 = DoubleVector.fromArray(D, l, lo + 8);
        for (int j = lo; j < len; j += BLOCK) {
            s0 = s0.add(wide(x, xi + j));
            s1 = s1.add(wide(x, xi + j + 8));
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
            DoubleVector a0 = wide(a, ai + j);
            DoubleVector a1 = wide(a, ai + j + 8);
            s0 = s0.add(a0);
            s1 = s1.add(a1);
            d0 = d0.add(a0.mul(wide(b, bi + j)));
            d1 = d1.add(a1.mul(wide(b, bi + j + 8)));
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
            FloatVector v0 = FloatVector.fromArray(F, x, xi + j).add(t);
            FloatVector v1 = FloatVector.fromArray(F, x, xi + j + 8).add(t);
            v0.intoArray(y, yi + j);
            v1.intoArray(y, yi + j + 8);
            DoubleVector w0 = (DoubleVector) v0.castShape(D, 0);
            DoubleVector w1 = (DoubleVector) v1.castShape(D, 0);
            q0 = q0.add(w0.mul(w0));
            q1 = q1.add(w1.mul(w1));
        }
        q0.intoArray(l, lo);
        q1.intoArray(l, lo + 8);
    }

    /** Chains l[lo..) += v*v over the first len values of v (16 chains). */
    private static void squareRow(float[] v, int vi, int len, double[] l, int lo) {
        DoubleVector q0 = DoubleVector.fromArray(D, l, lo);
        DoubleVector q1 = DoubleVector.fromArray(D, l, lo + 8);
        for (int j = lo; j < len; j += BLOCK) {
            DoubleVector w0 = wide(v, vi + j);
            DoubleVector w1 = wide(v, vi + j + 8);
            q0 = q0.add(w0.mul(w0));
            q1 = q1.add(w1.mul(w1));
        }
        q0.intoArray(l, lo);
        q1.intoArray(l, lo + 8);
    }

    /** Chains l[0..16) += the rem (< 16) values from x[xi], loaded under a mask (the other lanes load 0). */
    private static void sumTail(float[] x, int xi, int rem, double[] l) {
        DoubleVector s0 = DoubleVector.fromArray(D, l, 0);
        DoubleVector s1 = DoubleVector.fromArray(D, l, 8);
        s0 = s0.add(wideTail(x, xi, 0, rem));
        s1 = s1.add(wideTail(x, xi, 8, rem));
        s0.intoArray(l, 0);
        s1.intoArray(l, 8);
    }

    /** {@link #sumTail} with l[16..32) += a*b. */
    private static void sumDotTail(float[] a, int ai, float[] b, int bi, int rem, double[] l) {
        DoubleVector s0 = DoubleVector.fromArray(D, l, 0);
        DoubleVector s1 = DoubleVector.fromArray(D, l, 8);
        DoubleVector d0 = DoubleVector.fromArray(D, l, 16);
        DoubleVector d1 = DoubleVector.fromArray(D, l, 24);
        DoubleVector a0 = wideTail(a, ai, 0, rem);
        DoubleVector a1 = wideTail(a, ai, 8, rem);
        s0 = s0.add(a0);
        s1 = s1.add(a1);
        d0 = d0.add(a0.mul(wideTail(b, bi, 0, rem)));
        d1 = d1.add(a1.mul(wideTail(b, bi, 8, rem)));
        s0.intoArray(l, 0);
        s1.intoArray(l, 8);
        d0.intoArray(l, 16);
        d1.intoArray(l, 24);
    }

    /** y = x + t and chains l[0..16) += y*y over the rem (< 16) values from x[xi], under masks. */
    private static void centerSquareTail(float[] x, int xi, float t, float[] y, int yi, int rem, double[] l) {
        DoubleVector q0 = DoubleVector.fromArray(D, l, 0);
        DoubleVector q1 = DoubleVector.fromArray(D, l, 8);
        VectorMask<Float> m0 = F.indexInRange(0, rem);
        FloatVector v0 = FloatVector.fromArray(F, x, xi, m0).add(t, m0);
        v0.intoArray(y, yi, m0);
        DoubleVector w0 = (DoubleVector) v0.castShape(D, 0);
        q0 = q0.add(w0.mul(w0));
        VectorMask<Float> m1 = F.indexInRange(8, rem);
        FloatVector v1 = FloatVector.fromArray(F, x, xi + 8, m1).add(t, m1);
        v1.intoArray(y, yi + 8, m1);
        DoubleVector w1 = (DoubleVector) v1.castShape(D, 0);
        q1 = q1.add(w1.mul(w1));
        q0.intoArray(l, 0);
        q1.intoArray(l, 8);
    }

    /** The values of a[base + k..) with index below rem, widened; 0 in the other lanes. */
    private static DoubleVector wideTail(float[] a, int base, int k, int rem) {
        return (DoubleVector) FloatVector.fromArray(F, a, base + k, F.indexInRange(k, rem)).castShape(D, 0);
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
