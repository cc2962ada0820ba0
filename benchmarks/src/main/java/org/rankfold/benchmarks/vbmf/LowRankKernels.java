package org.rankfold.benchmarks.vbmf;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.rankfold.vbmf.linalg.SortedSvd;
import org.rankfold.vbmf.tensor.DenseTensor;
import org.rankfold.vbmf.tensor.ModeProduct;

/** Seeded inputs of the vbmf benchmarks: low-rank signal plus Gaussian noise, like a trained kernel. */
final class LowRankKernels {
    static final long SEED = 20240829L;

    private LowRankKernels() {
    }

    static double normal(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    static DMatrixRMaj gaussian(SplittableRandom rng, int rows, int cols) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = normal(rng);
        }
        return m;
    }

    /** {@code core [r0, r1, k, k] x_0 A x_1 B + noise}: a kernel {@code [s, c, k, k]} of Tucker ranks (r0, r1). */
    static DenseTensor plantedKernel(int s, int c, int k, int r0, int r1, double noise) {
        return plantedKernel(new SplittableRandom(SEED), s, c, k, r0, r1, noise);
    }

    static DenseTensor plantedKernel(SplittableRandom rng, int s, int c, int k, int r0, int r1, double noise) {
        DenseTensor core = DenseTensor.zeros(r0, r1, k, k);
        for (int i = 0; i < core.size(); i++) {
            core.values()[i] = normal(rng);
        }
        DMatrixRMaj a = SortedSvd.leftVectors(gaussian(rng, s, s), r0).u();
        DMatrixRMaj b = SortedSvd.leftVectors(gaussian(rng, c, c), r1).u();
        DenseTensor w = ModeProduct.times(ModeProduct.times(core, a, 0), b, 1);
        for (int i = 0; i < w.size(); i++) {
            w.values()[i] += noise * normal(rng);
        }
        return w;
    }
}
