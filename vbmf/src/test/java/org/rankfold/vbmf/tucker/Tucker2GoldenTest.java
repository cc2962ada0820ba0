package org.rankfold.vbmf.tucker;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rankfold.vbmf.evbmf.Evbmf;
import org.rankfold.vbmf.tensor.DenseTensor;
import org.rankfold.vbmf.tensor.Unfolding;
import org.rankfold.vbmf.testing.GoldenNpz;
import org.rankfold.vbmf.testing.Projectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankfold.kernels.testing.Arrays2.assertClose;
import static org.rankfold.vbmf.testing.VbmfTolerances.HOSVD_ERROR_RTOL;
import static org.rankfold.vbmf.testing.VbmfTolerances.PROJECTOR_ATOL;
import static org.rankfold.vbmf.testing.VbmfTolerances.TUCKER_BOUND_SLACK;
import static org.rankfold.vbmf.testing.VbmfTolerances.TUCKER_ERROR_ATOL;
import static org.rankfold.vbmf.testing.VbmfTolerances.TUCKER_ERROR_RTOL;

/** Every configuration of every golden/tucker file against TensorLy 0.9's partial_tucker. */
class Tucker2GoldenTest {
    /** TensorLy's history values carry ~1e-8 of cancellation noise where the error is ~0. */
    private static final double HISTORY_ATOL = 1e-7;

    static List<String> files() {
        return GoldenNpz.list("tucker");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void matchesTensorLy(String file) {
        GoldenNpz g = GoldenNpz.load(file);
        DenseTensor w = g.tensor("W");
        long[] ranks = g.longs("ranks");
        double[] errHooi = g.doubles("err_hooi");
        double[] errHosvd = g.doubles("err_hosvd");
        double[] errTight = g.doubles("err_hooi_tight");
        long[] iters = g.longs("n_iter_hooi");
        long[] exceeds = g.longs("rank_exceeds_unfolding");
        double maxAbsW = 0;
        for (double v : w.values()) {
            maxAbsW = Math.max(maxAbsW, Math.abs(v));
        }
        for (int j = 0; j < errHooi.length; j++) {
            int r0 = (int) ranks[2 * j];
            int r1 = (int) ranks[2 * j + 1];
            String what = file + " ranks (" + r0 + ", " + r1 + ")";

            Tucker2Result hosvd = Tucker2.decompose(w, r0, r1, Tucker2Options.hosvdOnly());
            assertEquals(0, hosvd.iterations());
            close(what + " HOSVD error", errHosvd[j], hosvd.relativeError(), HOSVD_ERROR_RTOL);

            Tucker2Result tl = Tucker2.decompose(w, r0, r1, Tucker2Options.tensorly());
            assertEquals(iters[j], tl.iterations(), what + " sweeps with TensorLy's rule");
            close(what + " HOOI error", errHooi[j], tl.relativeError(), TUCKER_ERROR_RTOL);
            close(what + " HOSVD error from the HOOI run", errHosvd[j], tl.hosvdRelativeError(), HOSVD_ERROR_RTOL);
            assertClose(what + " history", g.doubles("r" + j + "_history"), tl.history(), 0, HISTORY_ATOL);
            assertTrue(tl.relativeError() <= tl.hosvdRelativeError() + TUCKER_BOUND_SLACK, what + " HOOI <= HOSVD");
            assertTrue(Projectors.orthonormalityError(tl.u0()) < 1e-12, what + " U0 orthonormal");
            assertTrue(Projectors.orthonormalityError(tl.u1()) < 1e-12, what + " U1 orthonormal");
            assertEquals((long) w.dim(0) * r0 + (long) w.dim(1) * r1 + tl.core().size(), tl.parameterCount());

            if (exceeds[j] == 0) {
                assertClose(what + " HOSVD U0 U0^T", Projectors.of(g.matrix("r" + j + "_hosvd_U0")),
                        Projectors.of(hosvd.u0()), 0, PROJECTOR_ATOL);
                assertClose(what + " HOSVD U1 U1^T", Projectors.of(g.matrix("r" + j + "_hosvd_U1")),
                        Projectors.of(hosvd.u1()), 0, PROJECTOR_ATOL);
                assertClose(what + " HOOI U0 U0^T", Projectors.of(g.matrix("r" + j + "_U0")),
                        Projectors.of(tl.u0()), 0, PROJECTOR_ATOL);
                assertClose(what + " HOOI U1 U1^T", Projectors.of(g.matrix("r" + j + "_U1")),
                        Projectors.of(tl.u1()), 0, PROJECTOR_ATOL);
                // same sign rule as TensorLy: the core itself agrees
                assertClose(what + " core", g.doubles("r" + j + "_core"), tl.core().values(), 0,
                        PROJECTOR_ATOL * Math.max(1, maxAbsW));
            }

            Tucker2Result tight = Tucker2.decompose(w, r0, r1, Tucker2Options.tight());
            assertTrue(tight.relativeError() >= errTight[j] - TUCKER_BOUND_SLACK
                            && tight.relativeError() <= errHosvd[j] + TUCKER_BOUND_SLACK,
                    what + " tight error " + tight.relativeError() + " outside [" + errTight[j] + ", " + errHosvd[j] + "]");
            assertTrue(tight.relativeError() <= tl.relativeError() + TUCKER_BOUND_SLACK, what + " tight <= TensorLy's");
        }
        if (g.has("evbmf_ranks")) {
            long[] evbmf = g.longs("evbmf_ranks");
            for (int mode = 0; mode < 2; mode++) {
                int rank = Evbmf.run(Unfolding.unfold(w, mode), Double.NaN, false).rank();
                assertEquals(evbmf[mode], rank, file + " EVBMF rank of mode " + mode);
                assertEquals(Math.max(1, rank), ranks[mode], file + " ranks[0] = max(1, EVBMF rank)");
            }
        }
    }

    private static void close(String what, double expected, double actual, double rtol) {
        assertClose(what, new double[] {expected}, new double[] {actual}, rtol, TUCKER_ERROR_ATOL);
    }
}
