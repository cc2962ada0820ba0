package org.rankfold.tools.sweep;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Paired comparisons of two classifiers on the same test images, over several seeds: the accuracy difference
 * {@code mean over seeds of (acc_a - acc_b)}, a 95% interval for it from a paired bootstrap that resamples the
 * seeds and the test images (the same image indices for both classifiers and every seed, so the pairing by seed
 * and by image is kept), and McNemar's exact test on the discordant images pooled over the seeds.
 *
 * <p>Inputs are per-image correctness, {@code correct[seed][image]}, of both classifiers; every seed has the
 * same test images in the same order.
 */
public final class PairedStatistics {
    /** Bootstrap resamples: enough for the 2.5% and 97.5% percentiles to move by less than 0.1 point. */
    public static final int DEFAULT_RESAMPLES = 2000;

    private PairedStatistics() {
    }

    /**
     * @param difference mean over seeds of accuracy(a) - accuracy(b)
     * @param low        2.5th percentile of the bootstrap distribution of that difference
     * @param high       97.5th percentile
     * @param onlyA      images (summed over seeds) that a gets right and b wrong
     * @param onlyB      images that b gets right and a wrong
     * @param mcnemarP   McNemar's exact two-sided p-value on {@code onlyA} and {@code onlyB}
     * @param seeds      seeds compared
     * @param images     test images per seed
     */
    public record Comparison(double difference, double low, double high, long onlyA, long onlyB, double mcnemarP,
                             int seeds, int images) {
    }

    /** Compares {@code a} with {@code b}; the bootstrap draws from {@code SplittableRandom(bootstrapSeed)}. */
    public static Comparison compare(boolean[][] a, boolean[][] b, int resamples, long bootstrapSeed) {
        int seeds = a.length;
        if (seeds == 0 || b.length != seeds) {
            throw new IllegalArgumentException("both classifiers need the same seeds, at least one: " + a.length + " and " + b.length);
        }
        int n = a[0].length;
        for (int s = 0; s < seeds; s++) {
            if (a[s].length != n || b[s].length != n || n == 0) {
                throw new IllegalArgumentException("seed " + s + ": both classifiers need the same " + n + " test images");
            }
        }
        // d[s][i] in {-1, 0, 1}: the image's contribution to seed s's accuracy difference
        int[][] d = new int[seeds][n];
        long onlyA = 0;
        long onlyB = 0;
        double total = 0;
        for (int s = 0; s < seeds; s++) {
            for (int i = 0; i < n; i++) {
                d[s][i] = (a[s][i] ? 1 : 0) - (b[s][i] ? 1 : 0);
                total += d[s][i];
                if (d[s][i] > 0) {
                    onlyA++;
                } else if (d[s][i] < 0) {
                    onlyB++;
                }
            }
        }
        double diff = total / ((double) seeds * n);
        double[] boot = new double[resamples];
        SplittableRandom r = new SplittableRandom(bootstrapSeed);
        int[] pickedSeeds = new int[seeds];
        for (int k = 0; k < resamples; k++) {
            for (int s = 0; s < seeds; s++) {
                pickedSeeds[s] = r.nextInt(seeds);
            }
            long sum = 0;
            for (int i = 0; i < n; i++) {
                int img = r.nextInt(n);
                for (int s = 0; s < seeds; s++) {
                    sum += d[pickedSeeds[s]][img];
                }
            }
            boot[k] = sum / ((double) seeds * n);
        }
        Arrays.sort(boot);
        return new Comparison(diff, percentile(boot, 0.025), percentile(boot, 0.975), onlyA, onlyB,
                mcnemarExact(onlyA, onlyB), seeds, n);
    }

    /**
     * The {@code q}-quantile of sorted values by linear interpolation between closest ranks (position
     * {@code q (n - 1)}, NumPy's default).
     */
    static double percentile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /**
     * McNemar's exact test: under the null hypothesis each of the {@code b + c} discordant images is equally likely
     * to favour either classifier, so {@code min(b, c)} is Binomial(b + c, 1/2); the two-sided p-value is
     * {@code min(1, 2 P(X <= min(b, c)))}. Computed with logarithms, so large counts do not overflow.
     */
    static double mcnemarExact(long b, long c) {
        long n = b + c;
        if (n == 0) {
            return 1;
        }
        long k = Math.min(b, c);
        double log2 = Math.log(2);
        double tail = 0;
        double logChoose = 0; // log C(n, 0)
        for (long j = 0; j <= k; j++) {
            if (j > 0) {
                logChoose += Math.log((double) (n - j + 1)) - Math.log((double) j);
            }
            tail += Math.exp(logChoose - n * log2);
        }
        return Math.min(1, 2 * tail);
    }

    /** Sample mean and standard deviation (n - 1 in the denominator; 0 for one value). */
    public static double[] meanStd(double[] v) {
        double m = 0;
        for (double x : v) {
            m += x;
        }
        m /= v.length;
        double ss = 0;
        for (double x : v) {
            ss += (x - m) * (x - m);
        }
        return new double[] {m, v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0};
    }
}
