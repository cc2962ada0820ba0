package org.rankfold.vbmf.evbmf;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rankfold.vbmf.testing.GoldenNpz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rankfold.kernels.testing.Arrays2.assertClose;
import static org.rankfold.kernels.testing.Arrays2.assertGolden;
import static org.rankfold.vbmf.testing.VbmfTolerances.GIVEN_ATOL;
import static org.rankfold.vbmf.testing.VbmfTolerances.GIVEN_RTOL;
import static org.rankfold.vbmf.testing.VbmfTolerances.SHRUNK_RTOL;
import static org.rankfold.vbmf.testing.VbmfTolerances.SIGMA2_RTOL;

/** Every file of golden/vbmf (plain VBMF with a fixed prior product cacb) against the reference. */
class VbmfGoldenTest {

    static List<String> files() {
        return GoldenNpz.list("vbmf");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void matchesTheReference(String file) {
        GoldenNpz g = GoldenNpz.load(file);
        boolean given = g.integer("sigma2_given") == 1;
        VbmfResult r = Vbmf.run(g.matrix("Y"), g.scalar("cacb"), given ? g.scalar("sigma2_in") : Double.NaN, true);
        assertEquals(g.integer("tight_rank"), r.rank(), file + " rank");
        if (given) {
            assertEquals(g.scalar("sigma2_in"), r.sigma2(), file + " sigma2");
            assertGolden(file + " shrunk", g.doubles("tight_d"), r.shrunkSingularValues(), GIVEN_RTOL, GIVEN_ATOL);
            assertGolden(file + " F", new double[] {g.scalar("tight_F")}, new double[] {r.freeEnergy()},
                    GIVEN_RTOL, GIVEN_ATOL);
        } else {
            assertClose(file + " sigma2", new double[] {g.scalar("tight_sigma2")}, new double[] {r.sigma2()},
                    SIGMA2_RTOL, 0);
            assertClose(file + " shrunk", g.doubles("tight_d"), r.shrunkSingularValues(), SHRUNK_RTOL, 0);
            assertClose(file + " F", new double[] {g.scalar("tight_F")}, new double[] {r.freeEnergy()},
                    SIGMA2_RTOL, 0);
            assertGolden(file + " sigma2 bounds", g.doubles("sigma2_bounds"),
                    new double[] {r.sigma2Lower(), r.sigma2Upper()}, GIVEN_RTOL, 0);
        }
        EvbmfGoldenTest.checkFactors(g, file, r);
    }
}
