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
     * A factorized convolution against its folded kernel (DESIGN.md 2.1, issue 6): outputs equal to 1e-5
     * relative (float32 sums in a different order).
     */
    public static final double FOLD_REL = 1e-5;
}
