package org.rankfold.vbmf.tucker;

import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.rankfold.kernels.testing.SeededTest;
import org.rankfold.vbmf.rank.EvbmfSelector;
import org.rankfold.vbmf.tensor.DenseTensor;
import org.rankfold.vbmf.tensor.Norms;
import org.rankfold.vbmf.tensor.Unfolding;
import org.rankfold.vbmf.testing.GoldenNpz;
import org.rankfold.vbmf.testing.RandomMatrices;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Tucker-2 factors as the three convolutions of docs/method.md (1x1 with A = U1^T, KHxKW with the core,
 * 1x1 with B = U0) compute what the dense conv computes, within the reported kernel error.
 */
class Tucker2ConvEquivalenceTest extends SeededTest {

    /** Direct cross-correlation in double: x [N, C, H, W], w [S, C, K, K], stride 1, zero padding {@code pad}. */
    static DenseTensor conv(DenseTensor x, DenseTensor w, int pad) {
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int wd = x.dim(3);
        int s = w.dim(0);
        int k = w.dim(2);
        int oh = h + 2 * pad - k + 1;
        int ow = wd + 2 * pad - k + 1;
        DenseTensor y = DenseTensor.zeros(n, s, oh, ow);
        double[] xv = x.values();
        double[] wv = w.values();
        double[] yv = y.values();
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < s; o++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double acc = 0;
                        for (int ci = 0; ci < c; ci++) {
                            for (int p = 0; p < k; p++) {
                                for (int q = 0; q < k; q++) {
                                    int r = i + p - pad;
                                    int col = j + q - pad;
                                    if (r >= 0 && r < h && col >= 0 && col < wd) {
                                        acc += wv[((o * c + ci) * k + p) * k + q] * xv[((b * c + ci) * h + r) * wd + col];
                                    }
                                }
                            }
                        }
                        yv[((b * s + o) * oh + i) * ow + j] = acc;
                    }
                }
            }
        }
        return y;
    }

    /** A 1x1 conv weight [out, in, 1, 1] from a matrix [out, in]. */
    static DenseTensor pointwise(DMatrixRMaj m) {
        return new DenseTensor(new int[] {m.numRows, m.numCols, 1, 1}, m.data.clone());
    }

    static DMatrixRMaj transpose(DMatrixRMaj m) {
        DMatrixRMaj t = new DMatrixRMaj(m.numCols, m.numRows);
        org.ejml.dense.row.CommonOps_DDRM.transpose(m, t);
        return t;
    }

    static DenseTensor factorized(DenseTensor x, Tucker2Result t, int pad) {
        DenseTensor a = conv(x, pointwise(transpose(t.u1())), 0);
        DenseTensor g = conv(a, t.core(), pad);
        return conv(g, pointwise(t.u0()), 0);
    }

    static DenseTensor input(SplittableRandom rng, int... shape) {
        DenseTensor x = DenseTensor.zeros(shape);
        for (int i = 0; i < x.size(); i++) {
            x.values()[i] = RandomMatrices.normal(rng);
        }
        return x;
    }

    @Test
    void fullRankFactorsReproduceTheConvOutputs() {
        SplittableRandom rng = random();
        DenseTensor w = input(rng, 12, 6, 3, 3);
        DenseTensor x = input(rng, 2, 6, 7, 7);
        Tucker2Result t = Tucker2.decompose(w, 12, 6);
        double[] dense = conv(x, w, 1).values();
        double[] fact = factorized(x, t, 1).values();
        double worst = 0;
        for (int i = 0; i < dense.length; i++) {
            worst = Math.max(worst, Math.abs(dense[i] - fact[i]));
        }
        assertTrue(worst < 1e-10, "max abs diff " + worst);
    }

    @Test
    void outputErrorFollowsTheKernelErrorAtEvbmfRanks() {
        DenseTensor w = GoldenNpz.load("trained_kernels.npz").tensor("conv2_w");
        EvbmfSelector sel = new EvbmfSelector();
        int r0 = sel.select(Unfolding.unfold(w, 0)).rank();
        int r1 = sel.select(Unfolding.unfold(w, 1)).rank();
        Tucker2Result t = Tucker2.decompose(w, r0, r1);
        DenseTensor x = input(random(), 2, 32, 10, 10);
        double[] dense = conv(x, w, 0).values();
        double[] fact = factorized(x, t, 0).values();
        double outputError = Norms.frobeniusOfDifference(dense, fact) / Norms.frobenius(dense);
        // for i.i.d. Gaussian input without padding, E‖conv(x, D)‖² = ‖D‖² * positions * var(x) for any kernel D,
        // so the relative output error estimates the relative kernel error
        double ratio = outputError / t.relativeError();
        assertTrue(ratio > 0.8 && ratio < 1.25, "output error " + outputError + " vs kernel error " + t.relativeError());
        // and never exceeds the worst case k * ‖ΔW‖ * ‖x‖
        DenseTensor hat = t.reconstruction();
        double bound = 3 * Norms.frobeniusOfDifference(w.values(), hat.values()) * x.frobeniusNorm();
        assertTrue(Norms.frobeniusOfDifference(dense, fact) <= bound);
    }
}
