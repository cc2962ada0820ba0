package org.rankfold.vbmf.decompose;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.rankfold.engine.nn.Conv2d;
import org.rankfold.engine.nn.FactorizedConv2d;
import org.rankfold.engine.nn.Linear;
import org.rankfold.engine.ops.ConvSpec;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.vbmf.linalg.SortedSvd;
import org.rankfold.vbmf.tensor.DenseTensor;
import org.rankfold.vbmf.tensor.ModeProduct;
import org.rankfold.vbmf.testing.RandomMatrices;

/** Layers with a known low-rank structure, for the decomposer tests. */
final class PlantedLayers {
    private PlantedLayers() {
    }

    /**
     * A conv S x C x k x k whose kernel is {@code G x0 U0 x1 U1 + noise * N(0, 1)} with a standard normal core
     * {@code G [r0, r1, k, k]} and random orthonormal {@code U0 [S, r0]}, {@code U1 [C, r1]}; bias U(-1, 1).
     */
    static Conv2d conv(SplittableRandom rng, int s, int c, int k, int r0, int r1, double noise, ConvSpec spec) {
        DenseTensor core = new DenseTensor(new int[] {r0, r1, k, k}, RandomMatrices.gaussian(rng, 1, r0 * r1 * k * k).data);
        DMatrixRMaj u0 = orthonormal(rng, s, r0);
        DMatrixRMaj u1 = orthonormal(rng, c, r1);
        double[] w = ModeProduct.times(ModeProduct.times(core, u0, 0), u1, 1).values();
        float[] f = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            f[i] = (float) (w[i] + noise * RandomMatrices.normal(rng));
        }
        return Conv2d.of(Tensor.wrap(f, s, c, k, k), Tensor.uniform(rng, -1, 1, s), spec);
    }

    /** A linear layer whose weight is rank {@code r} (singular values r, r-1, ..., 1, times 2) plus noise; bias U(-1, 1). */
    static Linear linear(SplittableRandom rng, int out, int in, int r, double noise) {
        double[] sv = new double[r];
        for (int h = 0; h < r; h++) {
            sv[h] = 2.0 * (r - h);
        }
        DMatrixRMaj u = orthonormal(rng, out, r);
        DMatrixRMaj v = orthonormal(rng, in, r);
        float[] f = new float[out * in];
        for (int i = 0; i < out; i++) {
            for (int j = 0; j < in; j++) {
                double x = noise * RandomMatrices.normal(rng);
                for (int h = 0; h < r; h++) {
                    x += sv[h] * u.get(i, h) * v.get(j, h);
                }
                f[i * in + j] = (float) x;
            }
        }
        return Linear.of(Tensor.wrap(f, out, in), Tensor.uniform(rng, -1, 1, out));
    }

    /**
     * The same function as {@code conv} written as an expanded factorized layer (R_in &gt;= C, R_out &gt;= S):
     * A = [I; 0], core = the kernel in the top-left block, B = [I, 0].
     */
    static FactorizedConv2d expanded(Conv2d conv, int rankIn, int rankOut) {
        int[] sh = conv.weight().shape();
        int s = sh[0];
        int c = sh[1];
        int kk = sh[2] * sh[3];
        float[] a = new float[rankIn * c];
        for (int i = 0; i < c; i++) {
            a[i * c + i] = 1;
        }
        float[] b = new float[s * rankOut];
        for (int i = 0; i < s; i++) {
            b[i * rankOut + i] = 1;
        }
        float[] core = new float[rankOut * rankIn * kk];
        float[] w = conv.weight().data();
        for (int o = 0; o < s; o++) {
            for (int i = 0; i < c; i++) {
                System.arraycopy(w, (o * c + i) * kk, core, (o * rankIn + i) * kk, kk);
            }
        }
        return FactorizedConv2d.fromFactors(Tensor.wrap(a, rankIn, c), Tensor.wrap(core, rankOut, rankIn, sh[2], sh[3]),
                Tensor.wrap(b, s, rankOut), conv.bias().copy(), conv.spec());
    }

    private static DMatrixRMaj orthonormal(SplittableRandom rng, int rows, int cols) {
        // a thin Gaussian matrix's left singular vectors: Haar-distributed, and cheap for tall shapes
        return SortedSvd.leftVectors(RandomMatrices.gaussian(rng, rows, cols), cols).u();
    }
}
