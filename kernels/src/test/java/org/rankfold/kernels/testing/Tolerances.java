package org.rankfold.kernels.testing;

/**
 * Named tolerances for every comparison in the test suite, with where they come from.
 * Golden-data tolerances are listed in testdata/golden/README.md ("What the tests check").
 */
public final class Tolerances {
    private Tolerances() {
    }

    /** float64 engine vs float64 golden keys: rtol. */
    public static final double GOLDEN_F64_RTOL = 1e-9;
    /** float64 engine vs float64 golden keys: atol, scaled by max(1, max|ref|). */
    public static final double GOLDEN_F64_ATOL = 1e-11;
    /** float32 engine vs float64 golden keys: rtol. */
    public static final double GOLDEN_F32_RTOL = 1e-4;
    /** float32 engine vs float64 golden keys: atol, scaled by max(1, max|ref|). */
    public static final double GOLDEN_F32_ATOL = 1e-5;

    /**
     * float32 GEMM vs the double-accumulating reference: relative to sqrt(K) * max|a|*max|b| units of
     * float epsilon; 8 ulps of headroom for the order in which fused multiply-adds accumulate.
     */
    public static double gemmAbs(int k, double scale) {
        return 8 * Math.ulp(1f) * Math.sqrt(Math.max(1, k)) * Math.max(1e-30, scale) * Math.max(1, Math.sqrt(k));
    }

    /** Central finite differences in double on tiny tensors. */
    public static final double FINITE_DIFF_REL = 1e-6;
}
