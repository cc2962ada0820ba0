package org.rankfold.vbmf.testing;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.rankfold.vbmf.linalg.SortedSvd;

/** Seeded random matrices for the vbmf tests. */
public final class RandomMatrices {
    private RandomMatrices() {
    }

    /** Standard normal entries (Box-Muller). */
    public static DMatrixRMaj gaussian(SplittableRandom rng, int rows, int cols) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = normal(rng);
        }
        return m;
    }

    public static double normal(SplittableRandom rng) {
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** {@code sum_h sv_h u_h v_h^T + noise * N(0, 1)} with random orthonormal u, v. */
    public static DMatrixRMaj planted(SplittableRandom rng, int rows, int cols, double[] sv, double noise) {
        int r = Math.min(sv.length, Math.min(rows, cols));
        DMatrixRMaj u = SortedSvd.leftVectors(gaussian(rng, rows, rows), r).u();
        DMatrixRMaj v = SortedSvd.leftVectors(gaussian(rng, cols, cols), r).u();
        DMatrixRMaj y = gaussian(rng, rows, cols);
        CommonOps_DDRM.scale(noise, y);
        for (int h = 0; h < r; h++) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    y.data[i * cols + j] += sv[h] * u.get(i, h) * v.get(j, h);
                }
            }
        }
        return y;
    }
}
