package org.rankfold.vbmf.evbmf;

import org.ejml.data.DMatrixRMaj;

/**
 * Result of (empirical) variational Bayesian matrix factorization of a matrix {@code Y [rows, cols]}.
 * All scalar quantities are those of the oriented problem {@code L = min(rows, cols)},
 * {@code M = max(rows, cols)} (the analytic solution assumes {@code L <= M}; a tall Y is transposed first,
 * which {@link #transposed()} records); the factors are given back in Y's own orientation.
 *
 * @param empirical           true for EVBMF (prior variances estimated), false for VBMF with a given
 *                            prior product {@code cacb}
 * @param rows                rows of Y
 * @param cols                columns of Y
 * @param transposed          true when {@code rows > cols} and the solution was computed on {@code Y^T}
 * @param rank                number of singular values above {@link #threshold()}
 * @param sigma2              noise variance, given or estimated
 * @param sigma2Estimated     true when sigma2 was estimated by minimizing the free energy
 * @param sigma2Lower         lower bound of the sigma2 search (NaN when given)
 * @param sigma2Upper         upper bound of the sigma2 search (NaN when given)
 * @param evaluations         objective evaluations of the search (0 when given)
 * @param threshold           singular values strictly above it are kept
 * @param singularValues      all {@code L} singular values of Y, descending
 * @param shrunkSingularValues the {@code rank} posterior (shrunk) singular values
 * @param u                   {@code [rows, rank]} left singular vectors of the kept components (null when
 *                            factors were not requested); signs are arbitrary
 * @param v                   {@code [cols, rank]} right singular vectors (null when not requested)
 * @param freeEnergy          the free energy {@code F} at sigma2 (the reference's {@code post['F']})
 * @param objective           the minimised sigma2 objective at sigma2 (for EVBMF the reduced objective of
 *                            Nakajima et al. 2013, for VBMF the free energy)
 */
public record VbmfResult(boolean empirical, int rows, int cols, boolean transposed, int rank, double sigma2,
                         boolean sigma2Estimated, double sigma2Lower, double sigma2Upper, int evaluations,
                         double threshold, double[] singularValues, double[] shrunkSingularValues,
                         DMatrixRMaj u, DMatrixRMaj v, double freeEnergy, double objective) {

    /** {@code L = min(rows, cols)}: the maximal rank. */
    public int fullRank() {
        return Math.min(rows, cols);
    }

    /** {@code U diag(shrunk) V^T}, the posterior mean of Y, {@code [rows, cols]}; needs the factors. */
    public DMatrixRMaj posteriorMean() {
        if (u == null || v == null) {
            throw new IllegalStateException("factors were not computed");
        }
        DMatrixRMaj out = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < rows; i++) {
            for (int h = 0; h < rank; h++) {
                double ud = u.get(i, h) * shrunkSingularValues[h];
                for (int j = 0; j < cols; j++) {
                    out.data[i * cols + j] += ud * v.get(j, h);
                }
            }
        }
        return out;
    }
}
