package org.rankfold.vbmf.evbmf;

import org.ejml.data.DMatrixRMaj;

/**
 * Empirical variational Bayesian matrix factorization: the global analytic solution of Nakajima,
 * Sugiyama, Babacan and Tomioka, "Global analytic solution of fully-observed variational Bayesian matrix
 * factorization", JMLR 14 (2013), with the noise variance either given or estimated; the formulas and the
 * sigma2 search are those of the public reference implementation (CasvandenBogaard/VBMF, function
 * {@code EVBMF}, with {@code H = L}), so that ranks agree exactly with it.
 *
 * <p>For {@code Y} oriented to {@code L x M}, {@code L <= M}, with singular values {@code gamma_h}:
 * {@code alpha = L/M}, {@code tau_bar = 2.5129 sqrt(alpha)},
 * {@code x_bar = (1 + tau_bar)(1 + alpha/tau_bar)}. Component h is kept iff
 * {@code gamma_h > gamma_EVB = sqrt(M sigma2 x_bar)} and shrunk to
 * {@code gamma_h/2 (1 - (L+M) sigma2/gamma_h^2 + sqrt((1 - (L+M) sigma2/gamma_h^2)^2 - 4 L M sigma2^2/gamma_h^4))}.
 * Unknown sigma2 minimizes {@link #objective} over
 * {@code [max(gamma_{e+1}^2/(M x_bar), mean(gamma_{e+1..L}^2)/M), sum gamma^2/(L M)]},
 * {@code e = min(ceil(L/(1+alpha)) - 1, L) - 1} (0-based), by {@link BoundedMinimizer}.
 *
 * <p>Hazard: the reference's default optimizer tolerance is an absolute 1e-5, far from converged for
 * conv kernels (sigma2 ~ 1e-3); we converge to {@code 1e-12 * upper bound} (the golden {@code tight_*} runs).
 */
public final class Evbmf {
    /** The constant of tau_bar = 2.5129 sqrt(alpha) (Nakajima et al. 2013, the root of eq. (31)). */
    public static final double TAU_BAR_COEFFICIENT = 2.5129;
    /** Absolute tolerance of the sigma2 search relative to the upper bound. */
    public static final double SIGMA2_RELATIVE_TOLERANCE = 1e-12;
    /** Iteration cap of the sigma2 search (a converged search takes a few dozen). */
    public static final int SIGMA2_MAX_ITERATIONS = 10_000;

    private Evbmf() {
    }

    /** EVBMF with sigma2 estimated; computes the factors U, V of the kept components. {@code y} is not modified. */
    public static VbmfResult estimate(DMatrixRMaj y) {
        return run(y, Double.NaN, true);
    }

    /** EVBMF with a given noise variance {@code sigma2 > 0}. */
    public static VbmfResult withNoiseVariance(DMatrixRMaj y, double sigma2) {
        if (!(sigma2 > 0) || !Double.isFinite(sigma2)) {
            throw new IllegalArgumentException("sigma2 must be finite and > 0, got " + sigma2);
        }
        return run(y, sigma2, true);
    }

    /**
     * EVBMF of {@code y}.
     *
     * @param sigma2  the noise variance, or NaN to estimate it
     * @param factors whether to compute U and V (the rank alone needs only the singular values)
     */
    public static VbmfResult run(DMatrixRMaj y, double sigma2, boolean factors) {
        Spectrum sp = Spectrum.of(y, factors);
        int l = sp.l();
        int m = sp.m();
        double[] s = sp.s();
        double alpha = (double) l / m;
        double xBar = xBar(alpha);
        double sumSq = sp.sumSquares();
        boolean estimate = Double.isNaN(sigma2);
        double lower = Double.NaN;
        double upper = Double.NaN;
        int evaluations = 0;
        if (estimate && sumSq == 0) {
            // all-zero matrix: nothing to keep, no noise; the objective is undefined (log 0)
            return new VbmfResult(true, sp.rows(), sp.cols(), sp.transposed(), 0, 0, true, 0, 0, 0, 0, s,
                    new double[0], sp.leadingU(0), sp.leadingV(0), Double.NaN, Double.NaN);
        }
        if (estimate) {
            double[] bounds = sigma2Bounds(s, l, m);
            lower = bounds[0];
            upper = bounds[1];
            BoundedMinimizer.Result r = BoundedMinimizer.minimize(v -> objective(v, s, l, m), Math.min(lower, upper),
                    upper, SIGMA2_RELATIVE_TOLERANCE * upper, SIGMA2_MAX_ITERATIONS);
            sigma2 = r.x();
            evaluations = r.evaluations();
        }
        double threshold = Math.sqrt(m * sigma2 * xBar);
        int rank = sp.countAbove(threshold);
        double[] d = new double[rank];
        double fSum = 0;
        for (int h = 0; h < rank; h++) {
            double g2 = s[h] * s[h];
            double a = 1 - (l + m) * sigma2 / g2;
            d[h] = s[h] / 2 * (a + Math.sqrt(a * a - 4.0 * l * m * sigma2 * sigma2 / (g2 * g2)));
            double tau = d[h] * s[h] / (m * sigma2);
            fSum += m * Math.log(tau + 1) + l * Math.log(tau / alpha + 1) - m * tau;
        }
        double freeEnergy = 0.5 * (l * (double) m * Math.log(2 * Math.PI * sigma2) + sumSq / sigma2 + fSum);
        return new VbmfResult(true, sp.rows(), sp.cols(), sp.transposed(), rank, sigma2, estimate, lower, upper,
                evaluations, threshold, s, d, sp.leadingU(rank), sp.leadingV(rank), freeEnergy,
                objective(sigma2, s, l, m));
    }

    /** {@code x_bar = (1 + tau_bar)(1 + alpha/tau_bar)}, {@code tau_bar = 2.5129 sqrt(alpha)}. */
    public static double xBar(double alpha) {
        double tauBar = TAU_BAR_COEFFICIENT * Math.sqrt(alpha);
        return (1 + tauBar) * (1 + alpha / tauBar);
    }

    /** The search interval {@code [lower, upper]} of sigma2 for singular values {@code s} (descending, L of them). */
    public static double[] sigma2Bounds(double[] s, int l, int m) {
        double alpha = (double) l / m;
        double xBar = xBar(alpha);
        int h = s.length;
        int e = (int) Math.min(Math.ceil(l / (1 + alpha)) - 1, h) - 1;
        double sumSq = 0;
        for (double x : s) {
            sumSq += x * x;
        }
        double upper = sumSq / ((double) l * m);
        double tail = 0;
        for (int i = e + 1; i < h; i++) {
            tail += s[i] * s[i];
        }
        double lower = Math.max(s[e + 1] * s[e + 1] / (m * xBar), tail / (h - e - 1) / m);
        return new double[] {lower, upper};
    }

    /**
     * The sigma2 objective of EVBMF (oriented, {@code H = L}, so no residual term):
     * {@code sum_{x_h <= x_bar} (x_h - log x_h)
     *  + sum_{x_h > x_bar} (x_h - tau_h + log((tau_h + 1)/x_h) + alpha log(tau_h/alpha + 1))}
     * with {@code x_h = gamma_h^2/(M sigma2)} and
     * {@code tau(x) = (x - (1+alpha) + sqrt((x - (1+alpha))^2 - 4 alpha))/2}. A singular value that is exactly
     * zero contributes {@code log(M sigma2)} (its term without the infinite constant {@code -log gamma^2}).
     */
    public static double objective(double sigma2, double[] s, int l, int m) {
        double alpha = (double) l / m;
        double xBar = xBar(alpha);
        double small = 0;
        double large = 0;
        for (double g : s) {
            double x = g * g / (m * sigma2);
            if (x > xBar) {
                double b = x - (1 + alpha);
                double tau = 0.5 * (b + Math.sqrt(b * b - 4 * alpha));
                large += x - tau + Math.log((tau + 1) / x) + alpha * Math.log(tau / alpha + 1);
            } else if (g == 0) {
                // exactly zero singular value (rank-deficient Y, e.g. a dead filter): x - log x is +infinity for
                // every sigma2, which would make the objective flat. Its sigma2-dependent part is log(M sigma2);
                // keep that and drop the infinite constant -log(gamma^2), so the minimiser stays defined.
                small += Math.log(m * sigma2);
            } else {
                small += x - Math.log(x);
            }
        }
        return small + large;
    }
}
