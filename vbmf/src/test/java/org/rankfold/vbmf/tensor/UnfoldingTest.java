package org.rankfold.vbmf.tensor;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.rankfold.kernels.testing.SeededTest;
import org.rankfold.vbmf.testing.GoldenNpz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.rankfold.kernels.testing.Arrays2.assertClose;

class UnfoldingTest extends SeededTest {

    private DenseTensor randomTensor(int... shape) {
        SplittableRandom rng = random();
        DenseTensor t = DenseTensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.values()[i] = rng.nextDouble() * 2 - 1;
        }
        return t;
    }

    @Test
    void convKernelUnfoldingsFollowTensorLyColumnOrder() {
        int s = 3;
        int c = 4;
        int k = 2;
        DenseTensor w = randomTensor(s, c, k, k);
        DMatrixRMaj m0 = Unfolding.unfold(w, 0);
        DMatrixRMaj m1 = Unfolding.unfold(w, 1);
        assertEquals(s, m0.numRows);
        assertEquals(c * k * k, m0.numCols);
        assertEquals(c, m1.numRows);
        assertEquals(s * k * k, m1.numCols);
        for (int a = 0; a < s; a++) {
            for (int b = 0; b < c; b++) {
                for (int p = 0; p < k; p++) {
                    for (int q = 0; q < k; q++) {
                        double v = w.values()[((a * c + b) * k + p) * k + q];
                        assertEquals(v, m0.get(a, b * k * k + p * k + q));
                        assertEquals(v, m1.get(b, a * k * k + p * k + q));
                    }
                }
            }
        }
        // mode 0 is a plain reshape
        assertArrayEquals(w.values(), m0.data);
    }

    @Test
    void foldInvertsUnfoldForEveryMode() {
        DenseTensor t = randomTensor(2, 3, 4, 5);
        for (int mode = 0; mode < 4; mode++) {
            DMatrixRMaj m = Unfolding.unfold(t, mode);
            assertEquals(t, Unfolding.fold(m, mode, t.shape()), "mode " + mode);
        }
    }

    @Test
    void unfoldingsMatchTheGoldenTrainedKernelMatrices() {
        GoldenNpz kernels = GoldenNpz.load("trained_kernels.npz");
        for (int layer = 1; layer <= 3; layer++) {
            DenseTensor w = kernels.tensor("conv" + layer + "_w");
            for (int mode = 0; mode < 2; mode++) {
                GoldenNpz g = GoldenNpz.load("evbmf/trained_conv" + layer + "_mode" + mode + ".npz");
                DMatrixRMaj y = g.matrix("Y");
                DMatrixRMaj mine = Unfolding.unfold(w, mode);
                assertEquals(y.numRows, mine.numRows);
                assertEquals(y.numCols, mine.numCols);
                assertArrayEquals(y.data, mine.data, "conv" + layer + " mode " + mode);
            }
        }
    }

    @Test
    void modeProductIsMatrixTimesUnfolding() {
        DenseTensor t = randomTensor(3, 4, 2, 5);
        SplittableRandom rng = new SplittableRandom(SEED);
        for (int mode = 0; mode < 4; mode++) {
            DMatrixRMaj m = new DMatrixRMaj(6, t.dim(mode));
            for (int i = 0; i < m.data.length; i++) {
                m.data[i] = rng.nextDouble() - 0.5;
            }
            DMatrixRMaj expected = new DMatrixRMaj(6, t.size() / t.dim(mode));
            CommonOps_DDRM.mult(m, Unfolding.unfold(t, mode), expected);
            DenseTensor y = ModeProduct.times(t, m, mode);
            assertEquals(6, y.dim(mode));
            assertClose("mode " + mode, expected.data, Unfolding.unfold(y, mode).data, 1e-14, 1e-14);
            DMatrixRMaj mt = new DMatrixRMaj(m.numCols, m.numRows);
            CommonOps_DDRM.transpose(m, mt);
            assertArrayEquals(y.values(), ModeProduct.timesTransposed(t, mt, mode).values(), "transposed, mode " + mode);
        }
    }

    @Test
    void orthonormalProjectionThenExpansionIsIdentityAtFullRank() {
        DenseTensor t = randomTensor(4, 3, 3, 3);
        DMatrixRMaj q = new DMatrixRMaj(4, 4);
        // a rotation: the Q of a random matrix's SVD
        DMatrixRMaj a = Unfolding.unfold(t, 0);
        DMatrixRMaj u = org.rankfold.vbmf.linalg.SortedSvd.leftVectors(a, 4).u();
        q.setTo(u);
        DenseTensor back = ModeProduct.times(ModeProduct.timesTransposed(t, q, 0), q, 0);
        assertClose("round trip", t.values(), back.values(), 0, 1e-14);
    }

    @Test
    void rejectsBadModesAndShapes() {
        DenseTensor t = randomTensor(2, 3);
        assertThrows(IllegalArgumentException.class, () -> Unfolding.unfold(t, 2));
        assertThrows(IllegalArgumentException.class, () -> Unfolding.fold(new DMatrixRMaj(2, 2), 0, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> ModeProduct.times(t, new DMatrixRMaj(2, 2), 1));
        assertThrows(IllegalArgumentException.class, () -> new DenseTensor(new int[] {2, 0}, new double[0]));
    }
}
