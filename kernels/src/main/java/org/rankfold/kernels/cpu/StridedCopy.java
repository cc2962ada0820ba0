package org.rankfold.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code dst[d + o] = src[s + o*stride]} for o in [0, count): the row copy of a strided convolution's
 * im2col (explicit, and implicit in the GEMM's packing). A scalar loop with a strided load per element ran
 * at about 1 ns per element, seven times a stride-1 row copy, and made im2col 59% of resnet20's stride-2
 * convolutions. Stride 2 (every strided layer of the zoo) takes 2L consecutive floats as two vectors and
 * keeps their even lanes (two in-register shuffles and a blend). Only copies: the result is the same at
 * every vector width. The width is at most 256 bits, because the rows are short (7-16 outputs) and a
 * 512-bit vector would leave most of them to the scalar tail.
 */
public final class StridedCopy {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED.length() >= 8
            ? FloatVector.SPECIES_256 : FloatVector.SPECIES_128;
    private static final int L = SPECIES.length();
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(SPECIES, i -> (2 * i) % L);
    private static final VectorMask<Float> HIGH =
            VectorMask.fromLong(SPECIES, ((1L << L) - 1) & ~((1L << (L / 2)) - 1));
    /** Whether the Vector API runs at all (false under -Drankfold.simd.bits=0, where plain Java is wanted). */
    private static final boolean VECTORS = SimdWidth.configured() != SimdWidth.SCALAR;

    private StridedCopy() {
    }

    public static void copy(float[] src, int s, int stride, float[] dst, int d, int count) {
        int o = 0;
        if (stride == 2 && VECTORS) {
            // the last vector pair reads src[s + 2o .. s + 2o + 2L - 1]: stay inside the array
            int vectorEnd = Math.min(count, (src.length - s) / 2) - L + 1;
            for (; o < vectorEnd; o += L) {
                int at = s + 2 * o;
                FloatVector lo = FloatVector.fromArray(SPECIES, src, at);
                FloatVector hi = FloatVector.fromArray(SPECIES, src, at + L);
                lo.rearrange(EVEN).blend(hi.rearrange(EVEN), HIGH).intoArray(dst, d + o);
            }
        }
        for (; o < count; o++) {
            dst[d + o] = src[s + o * stride];
        }
    }
}
