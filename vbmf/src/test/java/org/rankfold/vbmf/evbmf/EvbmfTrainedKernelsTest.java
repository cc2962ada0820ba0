package org.rankfold.vbmf.evbmf;

import org.junit.jupiter.api.Test;
import org.rankfold.vbmf.tensor.DenseTensor;
import org.rankfold.vbmf.tensor.Unfolding;
import org.rankfold.vbmf.testing.GoldenNpz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rankfold.kernels.testing.Arrays2.assertClose;
import static org.rankfold.vbmf.testing.VbmfTolerances.SIGMA2_RTOL;

/** trained_kernels.npz: the converged EVBMF rank and sigma2 of each layer's mode-0 and mode-1 unfolding. */
class EvbmfTrainedKernelsTest {

    @Test
    void ranksAndNoiseOfEveryLayerAndMode() {
        GoldenNpz g = GoldenNpz.load("trained_kernels.npz");
        long[] ranks = g.longs("evbmf_rank");
        double[] sigma2 = g.doubles("evbmf_sigma2");
        for (int layer = 0; layer < 3; layer++) {
            DenseTensor w = g.tensor("conv" + (layer + 1) + "_w");
            for (int mode = 0; mode < 2; mode++) {
                VbmfResult r = Evbmf.run(Unfolding.unfold(w, mode), Double.NaN, false);
                String what = "conv" + (layer + 1) + " mode " + mode;
                assertEquals(ranks[layer * 2 + mode], r.rank(), what + " rank");
                assertClose(what + " sigma2", new double[] {sigma2[layer * 2 + mode]}, new double[] {r.sigma2()},
                        SIGMA2_RTOL, 0);
            }
        }
    }
}
