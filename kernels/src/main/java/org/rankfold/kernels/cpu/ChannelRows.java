package org.rankfold.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector part of {@link ChannelOps}' element-wise row maps: each method handles the first
 * {@code loopBound(hw)} values of a row at the given width and returns that count, the caller finishing the
 * row with the same float operations in scalar code. Each width has its own copy of each loop with its species
 * a static constant: a species passed as an argument or read from the width is constant only where C2 inlines
 * the loop into the dispatch, and where it does not, the Vector API runs its allocating Java fallback (a JMH
 * fork measured channelAffine 13x slower than the scalar loop, and a training step allocated megabytes).
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
            case BITS_512 -> affine512(hw, x, xi, s, t, y, yi);
            case BITS_256 -> affine256(hw, x, xi, s, t, y, yi);
            case BITS_128 -> affine128(hw, x, xi, s, t, y, yi);
            case SCALAR -> 0;
        };
    }

    /** y = max(0, x*s + t) (0 where the sum is not > 0, NaN included). */
    static int affineRelu(SimdWidth width, int hw, float[] x, int xi, float s, float t, float[] y, int yi) {
        return switch (width) {
            case BITS_512 -> affineRelu512(hw, x, xi, s, t, y, yi);
            case BITS_256 -> affineRelu256(hw, x, xi, s, t, y, yi);
            case BITS_128 -> affineRelu128(hw, x, xi, s, t, y, yi);
            case SCALAR -> 0;
        };
    }

    /**
     * y += (s1*a + s2*b) + t when accumulate, else y = 0 + ((s1*a + s2*b) + t): the value accumulating into
     * zeros gives, bit for bit (0 + v turns -0 into +0), without reading y.
     */
    static int combine(SimdWidth width, int hw, float[] a, int ai, float s1, float[] b, int bi, float s2, float t,
                       float[] y, int yi, boolean accumulate) {
        return switch (width) {
            case BITS_512 -> combine512(hw, a, ai, s1, b, bi, s2, t, y, yi, accumulate);
            case BITS_256 -> combine256(hw, a, ai, s1, b, bi, s2, t, y, yi, accumulate);
            case BITS_128 -> combine128(hw, a, ai, s1, b, bi, s2, t, y, yi, accumulate);
            case SCALAR -> 0;
        };
    }

    /** {@link #combine} with a' = (mask > 0 ? 0 + a : 0) in place of a. */
    static int maskedCombine(SimdWidth width, int hw, float[] a, int ai, float[] mask, int mi, float s1, float[] b,
                             int bi, float s2, float t, float[] y, int yi, boolean accumulate) {
        return switch (width) {
            case BITS_512 -> maskedCombine512(hw, a, ai, mask, mi, s1, b, bi, s2, t, y, yi, accumulate);
            case BITS_256 -> maskedCombine256(hw, a, ai, mask, mi, s1, b, bi, s2, t, y, yi, accumulate);
            case BITS_128 -> maskedCombine128(hw, a, ai, mask, mi, s1, b, bi, s2, t, y, yi, accumulate);
            case SCALAR -> 0;
        };
    }

    private static int affine512(int hw, float[] x, int xi, float s, float t, float[] y, int yi) {
        int upper = S512.loopBound(hw);
        for (int j = 0; j < upper; j += S512.length()) {
            FloatVector.fromArray(S512, x, xi + j).mul(s).add(t).intoArray(y, yi + j);
        }
        return upper;
    }

    private static int affine256(int hw, float[] x, int xi, float s, float t, float[] y, int yi) {
        int upper = S256.loopBound(hw);
        for (int j = 0; j < upper; j += S256.length()) {
            FloatVector.fromArray(S256, x, xi + j).mul(s).add(t).intoArray(y, yi + j);
        }
        return upper;
    }

    private static int affine128(int hw, float[] x, int xi, float s, float t, float[] y, int yi) {
        int upper = S128.loopBound(hw);
        for (int j = 0; j < upper; j += S128.length()) {
            FloatVector.fromArray(S128, x, xi + j).mul(s).add(t).intoArray(y, yi + j);
        }
        return upper;
    }

    private static int affineRelu512(int hw, float[] x, int xi, float s, float t, float[] y, int yi) {
        FloatVector zero = FloatVector.zero(S512);
        int upper = S512.loopBound(hw);
        for (int j = 0; j < upper; j += S512.length()) {
            FloatVector v = FloatVector.fromArray(S512, x, xi + j).mul(s).add(t);
            zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, yi + j);
        }
        return upper;
    }

    private static int affineRelu256(int hw, float[] x, int xi, float s, float t, float[] y, int yi) {
        FloatVector zero = FloatVector.zero(S256);
        int upper = S256.loopBound(hw);
        for (int j = 0; j < upper; j += S256.length()) {
            FloatVector v = FloatVector.fromArray(S256, x, xi + j).mul(s).add(t);
            zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, yi + j);
        }
        return upper;
    }

    private static int affineRelu128(int hw, float[] x, int xi, float s, float t, float[] y, int yi) {
        FloatVector zero = FloatVector.zero(S128);
        int upper = S128.loopBound(hw);
        for (int j = 0; j < upper; j += S128.length()) {
            FloatVector v = FloatVector.fromArray(S128, x, xi + j).mul(s).add(t);
            zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, yi + j);
        }
        return upper;
    }

    private static int combine512(int hw, float[] a, int ai, float s1, float[] b, int bi, float s2, float t, float[] y,
                                  int yi, boolean accumulate) {
        int upper = S512.loopBound(hw);
        if (accumulate) {
            for (int j = 0; j < upper; j += S512.length()) {
                FloatVector v = FloatVector.fromArray(S512, a, ai + j).mul(s1)
                        .add(FloatVector.fromArray(S512, b, bi + j).mul(s2)).add(t);
                FloatVector.fromArray(S512, y, yi + j).add(v).intoArray(y, yi + j);
            }
        } else {
            FloatVector zero = FloatVector.zero(S512);
            for (int j = 0; j < upper; j += S512.length()) {
                FloatVector v = FloatVector.fromArray(S512, a, ai + j).mul(s1)
                        .add(FloatVector.fromArray(S512, b, bi + j).mul(s2)).add(t);
                zero.add(v).intoArray(y, yi + j);
            }
        }
        return upper;
    }

    private static int combine256(int hw, float[] a, int ai, float s1, float[] b, int bi, float s2, float t, float[] y,
                                  int yi, boolean accumulate) {
        int upper = S256.loopBound(hw);
        if (accumulate) {
            for (int j = 0; j < upper; j += S256.length()) {
                FloatVector v = FloatVector.fromArray(S256, a, ai + j).mul(s1)
                        .add(FloatVector.fromArray(S256, b, bi + j).mul(s2)).add(t);
                FloatVector.fromArray(S256, y, yi + j).add(v).intoArray(y, yi + j);
            }
        } else {
            FloatVector zero = FloatVector.zero(S256);
            for (int j = 0; j < upper; j += S256.length()) {
                FloatVector v = FloatVector.fromArray(S256, a, ai + j).mul(s1)
                        .add(FloatVector.fromArray(S256, b, bi + j).mul(s2)).add(t);
                zero.add(v).intoArray(y, yi + j);
            }
        }
        return upper;
    }

    private static int combine128(int hw, float[] a, int ai, float s1, float[] b, int bi, float s2, float t, float[] y,
                                  int yi, boolean accumulate) {
        int upper = S128.loopBound(hw);
        if (accumulate) {
            for (int j = 0; j < upper; j += S128.length()) {
                FloatVector v = FloatVector.fromArray(S128, a, ai + j).mul(s1)
                        .add(FloatVector.fromArray(S128, b, bi + j).mul(s2)).add(t);
                FloatVector.fromArray(S128, y, yi + j).add(v).intoArray(y, yi + j);
            }
        } else {
            FloatVector zero = FloatVector.zero(S128);
            for (int j = 0; j < upper; j += S128.length()) {
                FloatVector v = FloatVector.fromArray(S128, a, ai + j).mul(s1)
                        .add(FloatVector.fromArray(S128, b, bi + j).mul(s2)).add(t);
                zero.add(v).intoArray(y, yi + j);
            }
        }
        return upper;
    }

    private static int maskedCombine512(int hw, float[] a, int ai, float[] mask, int mi, float s1, float[] b, int bi,
                                        float s2, float t, float[] y, int yi, boolean accumulate) {
        FloatVector zero = FloatVector.zero(S512);
        int upper = S512.loopBound(hw);
        if (accumulate) {
            for (int j = 0; j < upper; j += S512.length()) {
                VectorMask<Float> open = FloatVector.fromArray(S512, mask, mi + j).compare(VectorOperators.GT, 0f);
                FloatVector av = zero.add(FloatVector.fromArray(S512, a, ai + j), open);
                FloatVector v = av.mul(s1).add(FloatVector.fromArray(S512, b, bi + j).mul(s2)).add(t);
                FloatVector.fromArray(S512, y, yi + j).add(v).intoArray(y, yi + j);
            }
        } else {
            for (int j = 0; j < upper; j += S512.length()) {
                VectorMask<Float> open = FloatVector.fromArray(S512, mask, mi + j).compare(VectorOperators.GT, 0f);
                FloatVector av = zero.add(FloatVector.fromArray(S512, a, ai + j), open);
                FloatVector v = av.mul(s1).add(FloatVector.fromArray(S512, b, bi + j).mul(s2)).add(t);
                zero.add(v).intoArray(y, yi + j);
            }
        }
        return upper;
    }

    private static int maskedCombine256(int hw, float[] a, int ai, float[] mask, int mi, float s1, float[] b, int bi,
                                        float s2, float t, float[] y, int yi, boolean accumulate) {
        FloatVector zero = FloatVector.zero(S256);
        int upper = S256.loopBound(hw);
        if (accumulate) {
            for (int j = 0; j < upper; j += S256.length()) {
                VectorMask<Float> open = FloatVector.fromArray(S256, mask, mi + j).compare(VectorOperators.GT, 0f);
                FloatVector av = zero.add(FloatVector.fromArray(S256, a, ai + j), open);
                FloatVector v = av.mul(s1).add(FloatVector.fromArray(S256, b, bi + j).mul(s2)).add(t);
                FloatVector.fromArray(S256, y, yi + j).add(v).intoArray(y, yi + j);
            }
        } else {
            for (int j = 0; j < upper; j += S256.length()) {
                VectorMask<Float> open = FloatVector.fromArray(S256, mask, mi + j).compare(VectorOperators.GT, 0f);
                FloatVector av = zero.add(FloatVector.fromArray(S256, a, ai + j), open);
                FloatVector v = av.mul(s1).add(FloatVector.fromArray(S256, b, bi + j).mul(s2)).add(t);
                zero.add(v).intoArray(y, yi + j);
            }
        }
        return upper;
    }

    private static int maskedCombine128(int hw, float[] a, int ai, float[] mask, int mi, float s1, float[] b, int bi,
                                        float s2, float t, float[] y, int yi, boolean accumulate) {
        FloatVector zero = FloatVector.zero(S128);
        int upper = S128.loopBound(hw);
        if (accumulate) {
            for (int j = 0; j < upper; j += S128.length()) {
                VectorMask<Float> open = FloatVector.fromArray(S128, mask, mi + j).compare(VectorOperators.GT, 0f);
                FloatVector av = zero.add(FloatVector.fromArray(S128, a, ai + j), open);
                FloatVector v = av.mul(s1).add(FloatVector.fromArray(S128, b, bi + j).mul(s2)).add(t);
                FloatVector.fromArray(S128, y, yi + j).add(v).intoArray(y, yi + j);
            }
        } else {
            for (int j = 0; j < upper; j += S128.length()) {
                VectorMask<Float> open = FloatVector.fromArray(S128, mask, mi + j).compare(VectorOperators.GT, 0f);
                FloatVector av = zero.add(FloatVector.fromArray(S128, a, ai + j), open);
                FloatVector v = av.mul(s1).add(FloatVector.fromArray(S128, b, bi + j).mul(s2)).add(t);
                zero.add(v).intoArray(y, yi + j);
            }
        }
        return upper;
    }
}
