package org.rankfold.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector part of {@link ChannelOps}' element-wise row maps: each method handles the first
 * {@code species.loopBound(hw)} values of a row and returns that count, the caller finishing the row with the
 * same float operations in scalar code. The width is dispatched to a constant species before the loop (a species
 * read from a non-constant width left C2 with the Vector API's Java fallback, many times slower, in a
 * benchmark's short-lived compiled code).
 */
final class ChannelRows {
    private static final VectorSpecies<Float> S512 = FloatVector.SPECIES_512;
    private static final VectorSpecies<Float> S256 = FloatVector.SPECIES_256;
    private static final VectorSpecies<Float> S128 = FloatVector.SPECIES_128;

    private ChannelRows() {
    }

    /** y = x*s + t. */
    static int affine(SimdWidth width, int hw, float[] x, int xi, float s, float t, float[] y, int yi) {
        return switch (width) {
            case BITS_512 -> affine(S512, hw, x, xi, s, t, y, yi);
            case BITS_256 -> affine(S256, hw, x, xi, s, t, y, yi);
            case BITS_128 -> affine(S128, hw, x, xi, s, t, y, yi);
            case SCALAR -> 0;
        };
    }

    /** y = max(0, x*s + t) (0 where the sum is not > 0, NaN included). */
    static int affineRelu(SimdWidth width, int hw, float[] x, int xi, float s, float t, float[] y, int yi) {
        return switch (width) {
            case BITS_512 -> affineRelu(S512, hw, x, xi, s, t, y, yi);
            case BITS_256 -> affineRelu(S256, hw, x, xi, s, t, y, yi);
            case BITS_128 -> affineRelu(S128, hw, x, xi, s, t, y, yi);
            case SCALAR -> 0;
        };
    }

    /** y += (s1*a' + s2*b) + t, a' = a, or (mask > 0 ? 0 + a : 0) when mask is not null. */
    static int combine(SimdWidth width, int hw, float[] a, int ai, float[] mask, int mi, float s1, float[] b, int bi,
                       float s2, float t, float[] y, int yi) {
        return switch (width) {
            case BITS_512 -> combine(S512, hw, a, ai, mask, mi, s1, b, bi, s2, t, y, yi);
            case BITS_256 -> combine(S256, hw, a, ai, mask, mi, s1, b, bi, s2, t, y, yi);
            case BITS_128 -> combine(S128, hw, a, ai, mask, mi, s1, b, bi, s2, t, y, yi);
            case SCALAR -> 0;
        };
    }

    private static int affine(VectorSpecies<Float> sp, int hw, float[] x, int xi, float s, float t, float[] y,
                              int yi) {
        int upper = sp.loopBound(hw);
        for (int j = 0; j < upper; j += sp.length()) {
            FloatVector.fromArray(sp, x, xi + j).mul(s).add(t).intoArray(y, yi + j);
        }
        return upper;
    }

    private static int affineRelu(VectorSpecies<Float> sp, int hw, float[] x, int xi, float s, float t, float[] y,
                                  int yi) {
        FloatVector zero = FloatVector.zero(sp);
        int upper = sp.loopBound(hw);
        for (int j = 0; j < upper; j += sp.length()) {
            FloatVector v = FloatVector.fromArray(sp, x, xi + j).mul(s).add(t);
            zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, yi + j);
        }
        return upper;
    }

    private static int combine(VectorSpecies<Float> sp, int hw, float[] a, int ai, float[] mask, int mi, float s1,
                               float[] b, int bi, float s2, float t, float[] y, int yi) {
        FloatVector zero = FloatVector.zero(sp);
        int upper = sp.loopBound(hw);
        if (mask == null) {
            for (int j = 0; j < upper; j += sp.length()) {
                FloatVector v = FloatVector.fromArray(sp, a, ai + j).mul(s1)
                        .add(FloatVector.fromArray(sp, b, bi + j).mul(s2)).add(t);
                FloatVector.fromArray(sp, y, yi + j).add(v).intoArray(y, yi + j);
            }
        } else {
            for (int j = 0; j < upper; j += sp.length()) {
                VectorMask<Float> open = FloatVector.fromArray(sp, mask, mi + j).compare(VectorOperators.GT, 0f);
                FloatVector av = zero.add(FloatVector.fromArray(sp, a, ai + j), open);
                FloatVector v = av.mul(s1).add(FloatVector.fromArray(sp, b, bi + j).mul(s2)).add(t);
                FloatVector.fromArray(sp, y, yi + j).add(v).intoArray(y, yi + j);
            }
        }
        return upper;
    }
}
