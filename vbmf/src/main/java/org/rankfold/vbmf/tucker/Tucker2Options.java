package org.rankfold.vbmf.tucker;

/**
 * When HOOI stops.
 *
 * @param stopping      the stopping rule
 * @param tolerance     its tolerance (see {@link Stopping})
 * @param maxIterations cap on HOOI sweeps; 0 gives the plain truncated HOSVD
 */
public record Tucker2Options(Stopping stopping, double tolerance, int maxIterations) {

    /** Stopping rules of the HOOI sweeps. */
    public enum Stopping {
        /**
         * TensorLy 0.9's {@code partial_tucker}: after sweep {@code i} (0-based) the error
         * {@code e_i = sqrt(|‖W‖² - ‖core‖²|)/‖W‖} is recorded and, from {@code i = 2} on (so at least three
         * sweeps), the loop stops when {@code |e_{i-1} - e_i| < tolerance}.
         */
        TENSORLY_ERROR_CHANGE,
        /**
         * Converged HOOI: stop after sweep {@code i >= 1} when the fit gained by the sweep,
         * {@code ‖core_i‖² - ‖core_{i-1}‖²}, is at most {@code tolerance * ‖W‖²} (the fit never decreases in
         * exact arithmetic; rounding makes it fluctuate by a few ulps at convergence, which also stops).
         * Unlike the TensorLy rule it does not depend on the cancellation-prone error formula.
         */
        FIT_CHANGE
    }

    public Tucker2Options {
        if (stopping == null) {
            throw new IllegalArgumentException("stopping rule is required");
        }
        if (!(tolerance >= 0) || !Double.isFinite(tolerance)) {
            throw new IllegalArgumentException("tolerance must be finite and >= 0, got " + tolerance);
        }
        if (maxIterations < 0) {
            throw new IllegalArgumentException("maxIterations must be >= 0, got " + maxIterations);
        }
    }

    /** TensorLy's defaults: {@code partial_tucker(..., n_iter_max=100, tol=10e-5)} (i.e. 1e-4). */
    public static Tucker2Options tensorly() {
        return new Tucker2Options(Stopping.TENSORLY_ERROR_CHANGE, 1e-4, 100);
    }

    /** HOOI run to convergence: fit gain below 1e-15 of ‖W‖², at most 2000 sweeps. */
    public static Tucker2Options tight() {
        return new Tucker2Options(Stopping.FIT_CHANGE, 1e-15, 2000);
    }

    /** No HOOI sweep: the truncated HOSVD. */
    public static Tucker2Options hosvdOnly() {
        return new Tucker2Options(Stopping.FIT_CHANGE, 0, 0);
    }
}
