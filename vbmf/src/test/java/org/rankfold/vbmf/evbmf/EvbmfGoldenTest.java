package org.rankfold.vbmf.evbmf;

import java.util.List;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rankfold.vbmf.testing.GoldenNpz;
import org.rankfold.vbmf.testing.Projectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankfold.kernels.testing.Arrays2.assertClose;
import static org.rankfold.kernels.testing.Arrays2.assertGolden;
import static org.rankfold.vbmf.testing.VbmfTolerances.GIVEN_ATOL;
import static org.rankfold.vbmf.testing.VbmfTolerances.GIVEN_RTOL;
import static org.rankfold.vbmf.testing.VbmfTolerances.OBJECTIVE_ATOL;
import static org.rankfold.vbmf.testing.VbmfTolerances.OBJECTIVE_RTOL;
import static org.rankfold.vbmf.testing.VbmfTolerances.PROJECTOR_ATOL;
import static org.rankfold.vbmf.testing.VbmfTolerances.SHRUNK_RTOL;
import static org.rankfold.vbmf.testing.VbmfTolerances.SIGMA2_RTOL;
import static org.rankfold.vbmf.testing.VbmfTolerances.SINGULAR_VALUE_RTOL;

/** Every file of golden/evbmf against the reference implementation's converged ({@code tight_*}) run. */
class EvbmfGoldenTest {

    static List<String> files() {
        return GoldenNpz.list("evbmf");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void matchesTheReference(String file) {
        GoldenNpz g = GoldenNpz.load(file);
        DMatrixRMaj y = g.matrix("Y");
        boolean given = g.integer("sigma2_given") == 1;
        VbmfResult r = given ? Evbmf.withNoiseVariance(y, g.scalar("sigma2_in")) : Evbmf.estimate(y);

        assertEquals(g.integer("oriented_transposed") == 1, r.transposed(), file + " orientation");
        assertGolden(file + " singular values", g.doubles("s"), r.singularValues(), SINGULAR_VALUE_RTOL, GIVEN_ATOL);
        assertEquals(g.integer("tight_rank"), r.rank(), file + " rank (threshold margin "
                + g.scalar("threshold_margin") + ")");
        double[] d = g.doubles("tight_d");
        if (given) {
            assertEquals(g.scalar("sigma2_in"), r.sigma2(), file + " sigma2");
            assertGolden(file + " shrunk singular values", d, r.shrunkSingularValues(), GIVEN_RTOL, GIVEN_ATOL);
            assertGolden(file + " threshold", new double[] {g.scalar("tight_threshold")},
                    new double[] {r.threshold()}, GIVEN_RTOL, GIVEN_ATOL);
            assertGolden(file + " free energy", new double[] {g.scalar("tight_F")}, new double[] {r.freeEnergy()},
                    GIVEN_RTOL, GIVEN_ATOL);
        } else {
            assertClose(file + " sigma2", new double[] {g.scalar("tight_sigma2")}, new double[] {r.sigma2()},
                    SIGMA2_RTOL, 0);
            assertClose(file + " shrunk singular values", d, r.shrunkSingularValues(), SHRUNK_RTOL, 0);
            // threshold = sqrt(M sigma2 x_bar): half of sigma2's relative error
            assertClose(file + " threshold", new double[] {g.scalar("tight_threshold")},
                    new double[] {r.threshold()}, SIGMA2_RTOL, 0);
            assertClose(file + " free energy", new double[] {g.scalar("tight_F")}, new double[] {r.freeEnergy()},
                    SIGMA2_RTOL, 0);
            assertGolden(file + " sigma2 bounds", g.doubles("sigma2_bounds"),
                    new double[] {r.sigma2Lower(), r.sigma2Upper()}, GIVEN_RTOL, 0);
            // we are the minimiser: never above the reference's converged objective (up to rounding)
            double tightObj = g.scalar("tight_obj");
            assertTrue(r.objective() <= tightObj + OBJECTIVE_RTOL * Math.abs(tightObj),
                    file + " objective " + r.objective() + " above the reference's minimum " + tightObj);
            checkObjectiveGrid(g, file, r);
        }
        checkFactors(g, file, r);
    }

    private static void checkObjectiveGrid(GoldenNpz g, String file, VbmfResult r) {
        double[] grid = g.doubles("obj_grid_sigma2");
        double[] expected = g.doubles("obj_grid_value");
        double[] actual = new double[grid.length];
        int l = r.fullRank();
        int m = Math.max(r.rows(), r.cols());
        for (int i = 0; i < grid.length; i++) {
            actual[i] = Evbmf.objective(grid[i], r.singularValues(), l, m);
        }
        assertGolden(file + " objective on the grid", expected, actual, OBJECTIVE_RTOL, OBJECTIVE_ATOL);
    }

    static void checkFactors(GoldenNpz g, String file, VbmfResult r) {
        DMatrixRMaj u = g.matrix("U");
        DMatrixRMaj v = g.matrix("V");
        assertEquals(u.numRows, r.u().numRows, file + " U rows");
        assertEquals(u.numCols, r.u().numCols, file + " U columns");
        assertEquals(v.numRows, r.v().numRows, file + " V rows");
        assertEquals(v.numCols, r.v().numCols, file + " V columns");
        assertClose(file + " U U^T", Projectors.of(u), Projectors.of(r.u()), 0, PROJECTOR_ATOL);
        assertClose(file + " V V^T", Projectors.of(v), Projectors.of(r.v()), 0, PROJECTOR_ATOL);
        // |diag(U_ref^T U)| = 1: the same vectors up to sign
        for (int h = 0; h < r.rank(); h++) {
            double dot = 0;
            for (int i = 0; i < u.numRows; i++) {
                dot += u.get(i, h) * r.u().get(i, h);
            }
            assertEquals(1.0, Math.abs(dot), PROJECTOR_ATOL, file + " |u_ref . u| of component " + h);
        }
    }
}
