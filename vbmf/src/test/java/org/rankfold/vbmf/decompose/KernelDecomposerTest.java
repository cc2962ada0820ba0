package org.rankfold.vbmf.decompose;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.rankfold.kernels.testing.SeededTest;
import org.rankfold.vbmf.audit.ConvCost;
import org.rankfold.vbmf.audit.DecompositionAudit;
import org.rankfold.vbmf.linalg.SortedSvd;
import org.rankfold.vbmf.rank.EvbmfSelector;
import org.rankfold.vbmf.rank.FixedRankSelector;
import org.rankfold.vbmf.tensor.DenseTensor;
import org.rankfold.vbmf.testing.GoldenNpz;
import org.rankfold.vbmf.testing.RandomMatrices;
import org.rankfold.vbmf.tucker.Tucker2;
import org.rankfold.vbmf.tucker.Tucker2Options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankfold.kernels.testing.Arrays2.assertClose;

class KernelDecomposerTest extends SeededTest {

    @Test
    void trainedConvIsDecomposedAtItsEvbmfRanks() {
        DenseTensor w = GoldenNpz.load("trained_kernels.npz").tensor("conv3_w");
        ConvCost cost = new ConvCost(64, 64, 3, 3, 7, 7, 7, 7, false);
        ConvDecision d = KernelDecomposer.tucker2("conv3", w, cost, new EvbmfSelector(), Tucker2Options.tensorly());
        assertTrue(d.applied());
        DecompositionAudit a = d.audit();
        assertEquals("tucker2", a.decomposition());
        assertEquals(14, a.ranks()[0]);
        assertEquals(13, a.ranks()[1]);
        assertEquals(Tucker2.decompose(w, 14, 13).relativeError(), a.relativeError());
        assertEquals(cost.tuckerParams(14, 13), a.paramsAfter());
        assertTrue(a.paramsAfter() < a.paramsBefore() && a.macsAfter() < a.macsBefore());
        assertEquals(2, a.unfoldings().size());
        assertEquals(576, a.unfoldings().get(1).cols());
    }

    @Test
    void aLayerThatWouldGrowIsLeftDenseWithTheReason() {
        DenseTensor w = DenseTensor.zeros(8, 4, 3, 3);
        SplittableRandom rng = random();
        for (int i = 0; i < w.size(); i++) {
            w.values()[i] = RandomMatrices.normal(rng);
        }
        ConvCost cost = new ConvCost(8, 4, 3, 3, 10, 10, 10, 10, true);
        ConvDecision d = KernelDecomposer.tucker2("small", w, cost, new FixedRankSelector(100), Tucker2Options.tensorly());
        assertFalse(d.applied());
        assertTrue(d.result().isEmpty());
        assertEquals("skipped", d.audit().decomposition());
        assertEquals(d.audit().paramsBefore(), d.audit().paramsAfter());
        assertTrue(d.audit().notes().get(0).contains("both must drop"), d.audit().notes().toString());
        assertEquals(8, d.audit().ranks()[0]);
    }

    @Test
    void linearLayerGetsATwoFactorSvdWhenItPays() {
        DMatrixRMaj w = RandomMatrices.planted(random(), 10, 576, new double[] {50, 40, 30}, 0.1);
        ConvCost cost = ConvCost.linear(10, 576, true);
        MatrixDecision d = KernelDecomposer.svd("fc", w, cost, new EvbmfSelector());
        assertTrue(d.applied());
        assertEquals(3, d.factors().rank());
        assertEquals("svd", d.audit().decomposition());
        assertEquals(3L * 586 + 10, d.audit().paramsAfter());
        MatrixDecision full = KernelDecomposer.svd("fc", w, cost, new FixedRankSelector(10));
        assertFalse(full.applied());
    }

    @Test
    void truncatedSvdErrorIsTheTailOfTheSpectrum() {
        DMatrixRMaj w = RandomMatrices.gaussian(random(), 12, 30);
        double[] s = SortedSvd.values(w);
        double all = 0;
        double tail = 0;
        for (int i = 0; i < s.length; i++) {
            all += s[i] * s[i];
            tail += i >= 4 ? s[i] * s[i] : 0;
        }
        LowRankFactors f = TruncatedSvd.decompose(w, 4);
        assertEquals(Math.sqrt(tail / all), f.relativeError(), 1e-12);
        LowRankFactors exact = TruncatedSvd.decompose(w, 12);
        assertClose("full rank", w.data, exact.product().data, 0, 1e-12);
        assertThrows(IllegalArgumentException.class, () -> TruncatedSvd.decompose(w, 13));
    }

    @Test
    void rejectsACostThatDoesNotMatchTheKernel() {
        DenseTensor w = DenseTensor.zeros(8, 4, 3, 3);
        ConvCost cost = new ConvCost(8, 5, 3, 3, 10, 10, 10, 10, false);
        assertThrows(IllegalArgumentException.class,
                () -> KernelDecomposer.tucker2("x", w, cost, new EvbmfSelector(), Tucker2Options.tensorly()));
    }
}
