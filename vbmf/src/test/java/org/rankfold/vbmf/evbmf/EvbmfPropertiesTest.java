package org.rankfold.vbmf.evbmf;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.rankfold.kernels.testing.SeededTest;
import org.rankfold.vbmf.testing.Projectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankfold.kernels.testing.Arrays2.assertClose;
import static org.rankfold.vbmf.testing.RandomMatrices.planted;

class EvbmfPropertiesTest extends SeededTest {

    @Test
    void recoversAPlantedRankAboveTheNoise() {
        SplittableRandom rng = random();
        // detection limit ~ sqrt(M) * noise * sqrt(x_bar) ~ 24 * 1.45 = 35 for 40 x 576
        DMatrixRMaj y = planted(rng, 40, 576, new double[] {200, 150, 120, 90, 70}, 1.0);
        VbmfResult r = Evbmf.estimate(y);
        assertEquals(5, r.rank());
        assertClose("noise variance", new double[] {1.0}, new double[] {r.sigma2()}, 0.1, 0);
        for (int h = 0; h < r.rank(); h++) {
            assertTrue(r.shrunkSingularValues()[h] < r.singularValues()[h], "shrinks component " + h);
        }
    }

    @Test
    void transposingGivesTheSameAnswerWithSwappedFactors() {
        SplittableRandom rng = random();
        DMatrixRMaj y = planted(rng, 24, 100, new double[] {80, 60, 40}, 1.0);
        DMatrixRMaj yt = new DMatrixRMaj(100, 24);
        CommonOps_DDRM.transpose(y, yt);
        VbmfResult a = Evbmf.estimate(y);
        VbmfResult b = Evbmf.estimate(yt);
        assertTrue(b.transposed());
        assertEquals(a.rank(), b.rank());
        assertClose("sigma2", new double[] {a.sigma2()}, new double[] {b.sigma2()}, 1e-9, 0);
        assertClose("U vs V^T", Projectors.of(a.u()), Projectors.of(b.v()), 0, 1e-10);
        assertClose("posterior mean", transpose(a.posteriorMean()).data, b.posteriorMean().data, 0, 1e-9);
    }

    @Test
    void scaleInvariance() {
        SplittableRandom rng = random();
        DMatrixRMaj y = planted(rng, 16, 144, new double[] {40, 30}, 1.0);
        VbmfResult a = Evbmf.estimate(y);
        DMatrixRMaj small = y.copy();
        CommonOps_DDRM.scale(1e-3, small);
        VbmfResult b = Evbmf.estimate(small);
        assertEquals(a.rank(), b.rank());
        assertClose("sigma2 scales by 1e-6", new double[] {a.sigma2() * 1e-6}, new double[] {b.sigma2()}, 1e-6, 0);
    }

    @Test
    void deadRowGivesTheSameAnswerAsATinyOne() {
        SplittableRandom rng = random();
        DMatrixRMaj y = planted(rng, 20, 180, new double[] {90, 70, 50}, 1.0);
        DMatrixRMaj dead = y.copy();
        DMatrixRMaj tiny = y.copy();
        for (int j = 0; j < y.numCols; j++) {
            dead.set(7, j, 0);
            tiny.set(7, j, 1e-100 * y.get(7, j));
        }
        VbmfResult a = Evbmf.estimate(dead);
        VbmfResult b = Evbmf.estimate(tiny);
        assertTrue(Double.isFinite(a.objective()), "objective " + a.objective());
        assertEquals(3, a.rank());
        assertEquals(b.rank(), a.rank());
        assertClose("sigma2", new double[] {b.sigma2()}, new double[] {a.sigma2()}, 1e-7, 0);
    }

    @Test
    void exactlyZeroSingularValueShiftsTheObjectiveByAConstant() {
        double[] zero = {30, 20, 5, 3, 0};
        double[] tiny = {30, 20, 5, 3, 1e-120};
        double shift = Evbmf.objective(1.0, tiny, 5, 50) - Evbmf.objective(1.0, zero, 5, 50);
        assertTrue(Double.isFinite(Evbmf.objective(1.0, zero, 5, 50)));
        for (double sigma2 : new double[] {0.1, 0.5, 2, 7}) {
            double d = Evbmf.objective(sigma2, tiny, 5, 50) - Evbmf.objective(sigma2, zero, 5, 50);
            assertEquals(shift, d, 1e-9 * Math.abs(shift), "sigma2 " + sigma2);
        }
    }

    @Test
    void allZeroMatrixHasRankZero() {
        VbmfResult r = Evbmf.estimate(new DMatrixRMaj(4, 9));
        assertEquals(0, r.rank());
    }

    @Test
    void rejectsNonFiniteInput() {
        DMatrixRMaj y = new DMatrixRMaj(3, 3);
        y.set(1, 2, Double.NaN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Evbmf.estimate(y));
        assertTrue(e.getMessage().contains("[1, 2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Evbmf.withNoiseVariance(new DMatrixRMaj(2, 2), -1));
    }

    private static DMatrixRMaj transpose(DMatrixRMaj m) {
        DMatrixRMaj t = new DMatrixRMaj(m.numCols, m.numRows);
        CommonOps_DDRM.transpose(m, t);
        return t;
    }
}
