package org.rankfold.vbmf.evbmf;

import org.ejml.data.DMatrixRMaj;

/**
 * Variational Bayesian matrix factorization with a fixed product of prior variances {@code cacb}
 * (Nakajima et al., JMLR 2013, and "Perfect dimensionality recovery by variational Bayesian PCA",
 * NIPS 2012, eq. (10)); formulas, bounds and orientation as in the public reference implementation
 * (CasvandenBogaard/VBMF, function {@code VBMF}, {@code H = L}).
 *
 * <p>Oriented {@code L <= M}: with {@code t = (L + M + sigma2/cacb^2)/2} component h is kept iff
 * {@code gamma_h > sqrt(sigma2 (t + sqrt(t^2 - L M)))} and shrunk to
 * {@code gamma_h (1 - sigma2/(2 gamma_h^2) (L + M + sqrt((M - L)^2 + 4 gamma_h^2/cacb^2)))}.
 * Unknown sigma2 minimizes the free energy {@code F} over {@code [gamma_L^2/M, sum gamma^2/(L + M)]}.
 */
public final class Vbmf {
    private Vbmf() {
    }

    /**
     * VBMF of {@code y} ({@code y} is not modified).
     *
     * @param cacb    product of the prior variances, &gt; 0
     * @param sigma2  noise variance &gt; 0, or NaN to estimate it
     * @param factors whether to compute U and V
     */
    public static VbmfResult run(DMatrixRMaj y, double cacb, double sigma2, boolean factors) {
        if (!(cacb > 0) || !Double.isFinite(cacb)) {
            throw new IllegalArgumentException("cacb must be finite and > 0, got " + cacb);
        }
        boolean estimate = Double.isNaN(sigma2);
        if (!estimate && (!(sigma2 > 0) || !Double.isFinite(sigma2))) {
            throw new IllegalArgumentException("sigma2 must be finite and > 0 (or NaN to estimate), got " + sigma2);
        }
        Spectrum sp = Spectrum.of(y, factors);
        int l = sp.l();
        int m = sp.m();
        double[] s = sp.s();
        double lower = Double.NaN;
        double upper = Double.NaN;
        int evaluations = 0;
        if (estimate) {
            lower = s[s.length - 1] * s[s.length - 1] / m;
            upper = sp.sumSquares() / (l + m);
            if (!(upper > 0)) {
                throw new IllegalArgumentException("matrix is all zeros: sigma2 cannot be estimated");
            }
            BoundedMinimizer.Result r = BoundedMinimizer.minimize(v -> freeEnergy(v, cacb, s, l, m),
                    Math.min(lower, upper), upper, Evbmf.SIGMA2_RELATIVE_TOLERANCE * upper,
                    Evbmf.SIGMA2_MAX_ITERATIONS);
            sigma2 = r.x();
            evaluations = r.evaluations();
        }
        double threshold = threshold(sigma2, cacb, l, m);
        int rank = sp.countAbove(threshold);
        double[] d = shrink(s, rank, sigma2, cacb, l, m);
        double f = freeEnergy(sigma2, cacb, s, l, m);
        return new VbmfResult(false, sp.rows(), sp.cols(), sp.transposed(), rank, sigma2, estimate, lower, upper,
                evaluations, threshold, s, d, sp.leadingU(rank), sp.leadingV(rank), f, f);
    }

    static double threshold(double sigma2, double cacb, int l, int m) {
        double t = (l + m + sigma2 / (cacb * cacb)) / 2;
        return Math.sqrt(sigma2 * (t + Math.sqrt(t * t - (double) l * m)));
    }

    private static double[] shrink(double[] s, int rank, double sigma2, double cacb, int l, int m) {
        double[] d = new double[rank];
        for (int h = 0; h < rank; h++) {
            double g2 = s[h] * s[h];
            d[h] = s[h] * (1 - sigma2 / (2 * g2)
                    * (l + m + Math.sqrt((double) (m - l) * (m - l) + 4 * g2 / (cacb * cacb))));
        }
        return d;
    }

    /**
     * The VB free energy {@code F} at sigma2 (the reference's {@code post['F']}, {@code H = L}, no residual):
     * {@code F = 1/2 (L M log(2 pi sigma2) + sum gamma^2/sigma2 - (L+M) H + sum_h [M log(cacb/sa2_h)
     * + L log(cacb/sb2_h) + (ma_h^2 + M sa2_h)/cacb + (mb_h^2 + L sb2_h)/cacb
     * + (-2 ma_h mb_h gamma_h + (ma_h^2 + M sa2_h)(mb_h^2 + L sb2_h))/sigma2])}
     * with the posterior means {@code ma, mb} and variances {@code sa2, sb2} of the analytic solution.
     */
    public static double freeEnergy(double sigma2, double cacb, double[] s, int l, int m) {
        int h = s.length;
        int rank = 0;
        double threshold = threshold(sigma2, cacb, l, m);
        while (rank < h && s[rank] > threshold) {
            rank++;
        }
        double[] d = shrink(s, rank, sigma2, cacb, l, m);
        double c2 = cacb * cacb;
        double lm = (double) l * m;
        double zeta = sigma2 / (2 * lm)
                * (l + m + sigma2 / c2 - Math.sqrt((l + m + sigma2 / c2) * (l + m + sigma2 / c2) - 4 * lm));
        double sa2Off = cacb * (1 - l * zeta / sigma2);
        double sb2Off = cacb * (1 - m * zeta / sigma2);
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < h; i++) {
            double g = s[i];
            sumSq += g * g;
            double ma = 0;
            double mb = 0;
            double sa2 = sa2Off;
            double sb2 = sb2Off;
            if (i < rank) {
                double delta = cacb / sigma2 * (g - d[i] - l * sigma2 / g);
                ma = Math.sqrt(d[i] * delta);
                mb = Math.sqrt(d[i] / delta);
                sa2 = sigma2 * delta / g;
                sb2 = sigma2 / (delta * g);
            }
            double aa = ma * ma + m * sa2;
            double bb = mb * mb + l * sb2;
            sum += m * Math.log(cacb / sa2) + l * Math.log(cacb / sb2) + aa / cacb + bb / cacb
                    + (-2 * ma * mb * g + aa * bb) / sigma2;
        }
        return 0.5 * (lm * Math.log(2 * Math.PI * sigma2) + sumSq / sigma2 - (double) (l + m) * h + sum);
    }
}
