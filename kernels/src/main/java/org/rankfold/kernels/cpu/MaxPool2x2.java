package org.rankfold.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * One output row of a 2x2 max pool of stride 2 without padding, L outputs per step: the two input rows'
 * 2L floats are maxed lane by lane, then the even and odd lanes of the result (gathered by two in-register
 * shuffles per vector and a blend) give each output the maximum of its window. The scalar loop it replaces
 * loaded, compared and stored every element separately and took 4 ns per output, 40% of a compressed
 * fashionnet's first chain at batch 1. Lane-wise MAX is {@link Math#max} (NaN wins, +0 above -0), and a
 * maximum does not depend on the order it is taken in, so every width gives the scalar loop's values.
 * Each width has its own loop with its species, shuffles and mask as static constants, so the calls are
 * intrinsified. At 512 bits every step is masked, so the last outputs of a row take one more step (lanes past
 * the row are neither read nor stored); the narrower widths leave them to the scalar loop.
 */
final class MaxPool2x2 {
    private static final VectorSpecies<Float> S512 = FloatVector.SPECIES_512;
    private static final VectorSpecies<Float> S256 = FloatVector.SPECIES_256;
    private static final VectorSpecies<Float> S128 = FloatVector.SPECIES_128;
    private static final VectorShuffle<Float> EVEN512 = even(S512);
    private static final VectorShuffle<Float> ODD512 = odd(S512);
    private static final VectorMask<Float> HIGH512 = high(S512);
    private static final VectorShuffle<Float> EVEN256 = even(S256);
    private static final VectorShuffle<Float> ODD256 = odd(S256);
    private static final VectorMask<Float> HIGH256 = high(S256);
    private static final VectorShuffle<Float> EVEN128 = even(S128);
    private static final VectorShuffle<Float> ODD128 = odd(S128);
    private static final VectorMask<Float> HIGH128 = high(S128);
    private static final VectorSpecies<Integer> I512 = IntVector.SPECIES_512;
    /** Plane offsets of the 16 windows' top-left elements relative to the first: 0, 2, ..., 30. */
    private static final IntVector EVEN_OFFSETS = IntVector.fromArray(I512,
            new int[] {0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30}, 0);

    private MaxPool2x2() {
    }

    /** Lane i takes lane 2i of a vector (mod L): the even lanes of the first vector fill the low half. */
    private static VectorShuffle<Float> even(VectorSpecies<Float> s) {
        return VectorShuffle.fromOp(s, i -> (2 * i) % s.length());
    }

    private static VectorShuffle<Float> odd(VectorSpecies<Float> s) {
        return VectorShuffle.fromOp(s, i -> (2 * i + 1) % s.length());
    }

    /** The upper half of the lanes, filled from the second vector. */
    private static VectorMask<Float> high(VectorSpecies<Float> s) {
        return VectorMask.fromLong(s, ((1L << s.length()) - 1) & ~((1L << (s.length() / 2)) - 1));
    }

    /**
     * y[o + s] = max of x[row0 + 2s], x[row0 + 2s + 1], x[row1 + 2s], x[row1 + 2s + 1] for s in [0, ow).
     * Both input rows must hold 2*ow floats.
     */
    static void row(SimdWidth width, float[] x, int row0, int row1, float[] y, int o, int ow) {
        int s = switch (width) {
            case BITS_512 -> row512(x, row0, row1, y, o, ow);
            case BITS_256 -> row256(x, row0, row1, y, o, ow);
            case BITS_128 -> row128(x, row0, row1, y, o, ow);
            case SCALAR -> 0;
        };
        for (; s < ow; s++) {
            int at = 2 * s;
            y[o + s] = Math.max(Math.max(x[row0 + at], x[row0 + at + 1]), Math.max(x[row1 + at], x[row1 + at + 1]));
        }
    }

    /**
     * Every step masked (an all-true mask costs a full step nothing at 512 bits), so the last outputs of a
     * row need no second copy of the body: rows of 28 or 14 floats (ow 14 or 7, the pools of the 28x28
     * models) have no whole step at all, and their scalar loop cost a compressed fashionnet as much as the
     * Tucker-2 chain before it.
     */
    private static int row512(float[] x, int row0, int row1, float[] y, int o, int ow) {
        for (int s = 0; s < ow; s += 16) {
            int n = Math.min(16, ow - s);
            int at = 2 * s;
            VectorMask<Float> first = S512.indexInRange(0, 2 * n);
            VectorMask<Float> second = S512.indexInRange(16, 2 * n);
            FloatVector lo = FloatVector.fromArray(S512, x, row0 + at, first)
                    .lanewise(VectorOperators.MAX, FloatVector.fromArray(S512, x, row1 + at, first));
            FloatVector hi = FloatVector.fromArray(S512, x, row0 + at + 16, second)
                    .lanewise(VectorOperators.MAX, FloatVector.fromArray(S512, x, row1 + at + 16, second));
            FloatVector even = lo.rearrange(EVEN512).blend(hi.rearrange(EVEN512), HIGH512);
            FloatVector odd = lo.rearrange(ODD512).blend(hi.rearrange(ODD512), HIGH512);
            even.lanewise(VectorOperators.MAX, odd).intoArray(y, o + s, S512.indexInRange(0, n));
        }
        return ow;
    }

    private static int row256(float[] x, int row0, int row1, float[] y, int o, int ow) {
        int s = 0;
        for (; s + 8 <= ow; s += 8) {
            int at = 2 * s;
            FloatVector lo = FloatVector.fromArray(S256, x, row0 + at)
                    .lanewise(VectorOperators.MAX, FloatVector.fromArray(S256, x, row1 + at));
            FloatVector hi = FloatVector.fromArray(S256, x, row0 + at + 8)
                    .lanewise(VectorOperators.MAX, FloatVector.fromArray(S256, x, row1 + at + 8));
            FloatVector even = lo.rearrange(EVEN256).blend(hi.rearrange(EVEN256), HIGH256);
            FloatVector odd = lo.rearrange(ODD256).blend(hi.rearrange(ODD256), HIGH256);
            even.lanewise(VectorOperators.MAX, odd).intoArray(y, o + s);
        }
        return s;
    }

    private static int row128(float[] x, int row0, int row1, float[] y, int o, int ow) {
        int s = 0;
        for (; s + 4 <= ow; s += 4) {
            int at = 2 * s;
            FloatVector lo = FloatVector.fromArray(S128, x, row0 + at)
                    .lanewise(VectorOperators.MAX, FloatVector.fromArray(S128, x, row1 + at));
            FloatVector hi = FloatVector.fromArray(S128, x, row0 + at + 4)
                    .lanewise(VectorOperators.MAX, FloatVector.fromArray(S128, x, row1 + at + 4));
            FloatVector even = lo.rearrange(EVEN128).blend(hi.rearrange(EVEN128), HIGH128);
            FloatVector odd = lo.rearrange(ODD128).blend(hi.rearrange(ODD128), HIGH128);
            even.lanewise(VectorOperators.MAX, odd).intoArray(y, o + s);
        }
        return s;
    }

    /**
     * One output row of the training pool, values and argmax (plane index of the chosen element): windows
     * [0, ow) of the row whose top-left elements are plane elements at0, at0 + 2, ... (x's plane at xp, W
     * = width). The scalar loop's rule per window, in its order (top-left, top-right, bottom-left,
     * bottom-right): a later element replaces the best when it is greater or NaN, so ties keep the first
     * and a NaN wins. Only at 512 bits (16 windows per step, a masked step for the rest of the row; every
     * other width returns 0 and the caller runs the scalar loop): returns the windows done.
     */
    static int rowIndexed(SimdWidth simd, float[] x, int xp, int at0, int width, float[] y, int yo, int[] argmax,
                          int ao, int ow) {
        if (simd != SimdWidth.BITS_512) {
            return 0;
        }
        for (int s = 0; s < ow; s += 16) {
            int n = Math.min(16, ow - s);
            int at = at0 + 2 * s;
            VectorMask<Float> in0 = S512.indexInRange(0, 2 * n);
            VectorMask<Float> in1 = S512.indexInRange(16, 2 * n);
            FloatVector t0 = FloatVector.fromArray(S512, x, xp + at, in0);
            FloatVector t1 = FloatVector.fromArray(S512, x, xp + at + 16, in1);
            FloatVector b0 = FloatVector.fromArray(S512, x, xp + at + width, in0);
            FloatVector b1 = FloatVector.fromArray(S512, x, xp + at + width + 16, in1);
            FloatVector best = t0.rearrange(EVEN512).blend(t1.rearrange(EVEN512), HIGH512);
            IntVector index = EVEN_OFFSETS.add(at);
            IntVector bestIndex = index;
            FloatVector v = t0.rearrange(ODD512).blend(t1.rearrange(ODD512), HIGH512);
            VectorMask<Float> take = v.compare(VectorOperators.GT, best).or(v.compare(VectorOperators.NE, v));
            best = best.blend(v, take);
            bestIndex = bestIndex.blend(index.add(1), take.cast(I512));
            v = b0.rearrange(EVEN512).blend(b1.rearrange(EVEN512), HIGH512);
            take = v.compare(VectorOperators.GT, best).or(v.compare(VectorOperators.NE, v));
            best = best.blend(v, take);
            bestIndex = bestIndex.blend(index.add(width), take.cast(I512));
            v = b0.rearrange(ODD512).blend(b1.rearrange(ODD512), HIGH512);
            take = v.compare(VectorOperators.GT, best).or(v.compare(VectorOperators.NE, v));
            best = best.blend(v, take);
            bestIndex = bestIndex.blend(index.add(width + 1), take.cast(I512));
            VectorMask<Float> out = S512.indexInRange(0, n);
            best.intoArray(y, yo + s, out);
            bestIndex.intoArray(argmax, ao + s, out.cast(I512));
        }
        return ow;
    }
}
