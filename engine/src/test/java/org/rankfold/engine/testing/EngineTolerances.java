package org.rankfold.engine.testing;

/** Named tolerances of the engine tests beyond those of {@code org.rankfold.kernels.testing.Tolerances}. */
public final class EngineTolerances {
    private EngineTolerances() {
    }

    /**
     * Finite-difference step for float32 ops: the float error of each output, ~6e-8 |y| / h, stays near
     * 1e-5 relative, while the truncation error (h^2/6) |L'''| stays near 1e-5 for smooth ops of unit scale.
     */
    public static final double FD_STEP = 1e-2;

    /** Worst per-element relative error accepted by {@link GradCheck} with {@link #FD_STEP}. */
    public static final double FD_REL = 5e-3;

    /**
     * {@link #FD_REL} for training-mode batch norm, whose output is far from linear in x (1/sqrt of the batch
     * variance, over only 24 values per channel in the test): at {@link #FD_STEP} the truncation error of
     * the central difference reaches ~5e-6 absolute on gradients of ~1e-3 (0.46-0.57%). Rounding adds to it:
     * the forward computes y = k x + t with t = beta - k mean rounded once per channel, an error of
     * eps_f32 |t| shared by the channel's outputs, which the difference quotient divides by 2h: ~4e-5
     * absolute (2.7% of a 1.4e-3 gradient) was seen. The analytic gradients themselves agree with the double
     * definition to 1e-4 ({@code BatchNormStatisticsTest}) and with PyTorch ({@code LayerGoldenTest}); a wrong
     * term still gives O(1).
     */
    public static final double FD_REL_BATCH_NORM = 5e-2;

    /**
     * A factorized convolution against its folded kernel (docs/method.md, factorized convolution): outputs equal to 1e-5
     * relative (float32 sums in a different order).
     */
    public static final double FOLD_REL = 1e-5;
}
