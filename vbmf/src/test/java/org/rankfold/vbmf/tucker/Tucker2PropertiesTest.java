package org.rankfold.vbmf.tucker;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.rankfold.kernels.testing.SeededTest;
import org.rankfold.vbmf.evbmf.Evbmf;
import org.rankfold.vbmf.linalg.SortedSvd;
import org.rankfold.vbmf.tensor.DenseTensor;
import org.rankfold.vbmf.tensor.ModeProduct;
import org.rankfold.vbmf.tensor.Norms;
import org.rankfold.vbmf.tensor.Unfolding;
import org.rankfold.vbmf.testing.Projectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankfold.kernels.testing.Arrays2.assertClose;

class Tucker2PropertiesTest extends SeededTest {

    static DenseTensor gaussian(SplittableRandom rng, int... shape) {
        DenseTensor t = DenseTensor.zeros(shape);
        double[] v = t.values();
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
        }
        return t;
    }

    /** {@code G x_0 A x_1 B + noise}, {@code A [S, r0]}, {@code B [C, r1]} orthonormal. */
    static DenseTensor planted(SplittableRandom rng, int s, int c, int k, int r0, int r1, double scale, double noise) {
        DenseTensor core = gaussian(rng, r0, r1, k, k);
        for (int i = 0; i < core.size(); i++) {
            core.values()[i] *= scale;
        }
        DMatrixRMaj a = SortedSvd.leftVectors(Unfolding.unfold(gaussian(rng, s, s), 0), r0).u();
        DMatrixRMaj b = SortedSvd.leftVectors(Unfolding.unfold(gaussian(rng, c, c), 0), r1).u();
        DenseTensor w = ModeProduct.times(ModeProduct.times(core, a, 0), b, 1);
        DenseTensor n = gaussian(rng, s, c, k, k);
        for (int i = 0; i < w.size(); i++) {
            w.values()[i] += noise * n.values()[i];
        }
        return w;
    }

    @Test
    void fullRankReconstructsExactly() {
        DenseTensor w = gaussian(random(), 12, 7, 3, 3);
        Tucker2Result r = Tucker2.decompose(w, 12, 7);
        assertTrue(r.relativeError() < 1e-12, "relative error " + r.relativeError());
        assertClose("W_hat", w.values(), r.reconstruction().values(), 0, 1e-12);
        assertEquals(12L * 7 * 9, r.originalParameterCount());
    }

    @Test
    void reportedErrorIsTheReconstructionError() {
        DenseTensor w = gaussian(random(), 16, 8, 3, 3);
        Tucker2Result r = Tucker2.decompose(w, 5, 4, Tucker2Options.tight());
        double err = Norms.frobeniusOfDifference(w.values(), r.reconstruction().values()) / w.frobeniusNorm();
        assertEquals(err, r.relativeError(), 1e-14);
        assertTrue(Projectors.orthonormalityError(r.u0()) < 1e-12);
        assertTrue(Projectors.orthonormalityError(r.u1()) < 1e-12);
    }

    @Test
    void hooiErrorNeverIncreasesAndNeverExceedsHosvd() {
        DenseTensor w = gaussian(random(), 24, 16, 3, 3);
        Tucker2Result r = Tucker2.decompose(w, 6, 5, new Tucker2Options(Tucker2Options.Stopping.FIT_CHANGE, 0, 60));
        double[] h = r.history();
        assertEquals(60, h.length);
        for (int i = 1; i < h.length; i++) {
            assertTrue(h[i] <= h[i - 1] + 1e-12, "sweep " + i + ": " + h[i] + " > " + h[i - 1]);
        }
        assertTrue(r.relativeError() < r.hosvdRelativeError(), r.toString());
    }

    @Test
    void evbmfRecoversPlantedRanksAndTuckerFitsThem() {
        SplittableRandom rng = random();
        DenseTensor w = planted(rng, 48, 32, 3, 9, 6, 10.0, 0.05);
        int r0 = Evbmf.run(Unfolding.unfold(w, 0), Double.NaN, false).rank();
        int r1 = Evbmf.run(Unfolding.unfold(w, 1), Double.NaN, false).rank();
        assertEquals(9, r0, "R0");
        assertEquals(6, r1, "R1");
        Tucker2Result t = Tucker2.decompose(w, r0, r1);
        // what is left is the noise: ~ noise * sqrt(S*C*k*k) / ‖W‖
        double noiseLevel = 0.05 * Math.sqrt(w.size()) / w.frobeniusNorm();
        assertTrue(t.relativeError() < noiseLevel, t.relativeError() + " vs noise " + noiseLevel);
        assertTrue(t.relativeError() > 0.5 * noiseLevel, "cannot fit the noise: " + t.relativeError());
    }

    @Test
    void deterministic() {
        DenseTensor w = gaussian(random(), 16, 12, 3, 3);
        Tucker2Result a = Tucker2.decompose(w, 4, 3);
        Tucker2Result b = Tucker2.decompose(w, new int[] {4, 3}, Tucker2Options.tensorly());
        assertArrayEquals(a.core().values(), b.core().values());
        assertArrayEquals(a.u0().data, b.u0().data);
        assertEquals(a.relativeError(), b.relativeError());
    }

    @Test
    void worksOnMatricesAndOneByOneKernels() {
        DenseTensor w = gaussian(random(), 10, 6, 1, 1);
        Tucker2Result r = Tucker2.decompose(w, 3, 3, Tucker2Options.tight());
        // for a matrix, Tucker-2 is the truncated SVD: error = tail singular values
        double[] s = SortedSvd.values(Unfolding.unfold(w, 0));
        double tail = 0;
        double all = 0;
        for (int i = 0; i < s.length; i++) {
            all += s[i] * s[i];
            if (i >= 3) {
                tail += s[i] * s[i];
            }
        }
        assertEquals(Math.sqrt(tail / all), r.relativeError(), 1e-12);
    }

    @Test
    void zeroKernelHasZeroError() {
        Tucker2Result r = Tucker2.decompose(DenseTensor.zeros(4, 3, 3, 3), 2, 2);
        assertEquals(0, r.relativeError());
        assertEquals(0, r.hosvdRelativeError());
    }

    @Test
    void rejectsRanksOutOfRangeAndNonFiniteKernels() {
        DenseTensor w = gaussian(random(), 4, 3, 3, 3);
        assertThrows(IllegalArgumentException.class, () -> Tucker2.decompose(w, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Tucker2.decompose(w, 5, 1));
        assertThrows(IllegalArgumentException.class, () -> Tucker2.decompose(w, 1, 4));
        w.values()[7] = Double.NaN;
        assertThrows(IllegalArgumentException.class, () -> Tucker2.decompose(w, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> Tucker2.decompose(DenseTensor.zeros(5), 1, 1));
        assertThrows(IllegalArgumentException.class,
                () -> Tucker2.decompose(DenseTensor.zeros(4, 3, 3, 3), new int[] {1}, Tucker2Options.tensorly()));
    }
}
