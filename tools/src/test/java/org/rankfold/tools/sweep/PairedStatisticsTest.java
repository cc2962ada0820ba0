package org.rankfold.tools.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PairedStatisticsTest {

    @Test
    void mcnemarMatchesHandComputedBinomialTails() {
        // b = 1, c = 5: n = 6, P(X <= 1) = (1 + 6) / 64, two-sided 14/64
        assertEquals(14.0 / 64, PairedStatistics.mcnemarExact(1, 5), 1e-15);
        assertEquals(14.0 / 64, PairedStatistics.mcnemarExact(5, 1), 1e-15);
        // b = 0, c = 10: 2 / 1024
        assertEquals(2.0 / 1024, PairedStatistics.mcnemarExact(0, 10), 1e-15);
        // b = 3, c = 3: the tail passes one half, capped at 1
        assertEquals(1.0, PairedStatistics.mcnemarExact(3, 3), 0);
        assertEquals(1.0, PairedStatistics.mcnemarExact(0, 0), 0);
        // b = 2, c = 8: (1 + 10 + 45) / 1024 * 2 = 112 / 1024
        assertEquals(112.0 / 1024, PairedStatistics.mcnemarExact(2, 8), 1e-15);
        // large counts stay finite: 400 vs 600 is far beyond 5 standard deviations
        double p = PairedStatistics.mcnemarExact(400, 600);
        assertTrue(p > 0 && p < 1e-9, "p " + p);
    }

    @Test
    void percentileInterpolatesLikeNumpy() {
        double[] v = {1, 2, 3, 4, 5};
        assertEquals(1.1, PairedStatistics.percentile(v, 0.025), 1e-12); // position 0.1
        assertEquals(4.9, PairedStatistics.percentile(v, 0.975), 1e-12); // position 3.9
        assertEquals(3, PairedStatistics.percentile(v, 0.5), 0);
    }

    @Test
    void meanAndSampleStandardDeviation() {
        assertArrayEquals(new double[] {2, 1}, PairedStatistics.meanStd(new double[] {1, 2, 3}), 1e-15);
        assertArrayEquals(new double[] {0.5, 0}, PairedStatistics.meanStd(new double[] {0.5}), 0);
    }

    @Test
    void countsDiscordantImagesAndTheDifferencePooledOverSeeds() {
        boolean[][] a = {{true, true, false, true}, {true, false, true, true}};
        boolean[][] b = {{true, false, false, false}, {false, false, true, true}};
        PairedStatistics.Comparison c = PairedStatistics.compare(a, b, 500, 1);
        // seed 0: a 3/4, b 1/4; seed 1: a 3/4, b 2/4 -> mean difference (0.5 + 0.25) / 2
        assertEquals(0.375, c.difference(), 1e-15);
        assertEquals(3, c.onlyA());
        assertEquals(0, c.onlyB());
        assertEquals(2.0 / 8, c.mcnemarP(), 1e-15);
        assertTrue(c.low() <= c.difference() && c.difference() <= c.high());
        assertEquals(c, PairedStatistics.compare(a, b, 500, 1), "the same bootstrap seed gives the same interval");
    }

    @Test
    void identicalDifferencesGiveADegenerateInterval() {
        // every image favours a on every seed: each resample's difference is exactly 1
        boolean[][] a = {{true, true, true}, {true, true, true}};
        boolean[][] b = {{false, false, false}, {false, false, false}};
        PairedStatistics.Comparison c = PairedStatistics.compare(a, b, 200, 7);
        assertEquals(1, c.low(), 0);
        assertEquals(1, c.high(), 0);
        // equal classifiers: zero difference, zero-width interval, p = 1
        PairedStatistics.Comparison same = PairedStatistics.compare(a, a, 200, 7);
        assertEquals(0, same.low(), 0);
        assertEquals(0, same.high(), 0);
        assertEquals(1, same.mcnemarP(), 0);
    }

    @Test
    void aNoisyDifferenceHasAnIntervalOfAboutTwoStandardErrors() {
        // 1 seed, 10,000 images: a right on 5,100, b on 5,000, discordant images independent
        int n = 10000;
        boolean[][] a = new boolean[1][n];
        boolean[][] b = new boolean[1][n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            a[0][i] = r.nextDouble() < 0.51;
            b[0][i] = r.nextDouble() < 0.50;
        }
        PairedStatistics.Comparison c = PairedStatistics.compare(a, b, 1000, 11);
        // independent: sd of a per-image difference ~ sqrt(0.5), standard error ~ 0.00707; the interval ~ +-1.96 se
        double half = (c.high() - c.low()) / 2;
        assertEquals(1.96 * Math.sqrt(0.4999) / Math.sqrt(n), half, 0.0015);
    }

    @Test
    void refusesUnpairedInputs() {
        assertThrows(IllegalArgumentException.class, () -> PairedStatistics.compare(new boolean[][] {{true}},
                new boolean[][] {{true}, {false}}, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> PairedStatistics.compare(new boolean[][] {{true, true}},
                new boolean[][] {{true}}, 10, 1));
    }
}
