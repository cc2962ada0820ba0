package org.rankfold.engine.regularize;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.rankfold.engine.ops.ElementwiseOps;
import org.rankfold.engine.ops.MatMul;
import org.rankfold.engine.tensor.Tensor;

/**
 * Orthogonality regularizers of Bansal, Chen and Wang (NeurIPS 2018; docs/method.md), as autograd
 * compositions of tensor ops, so their gradients come from the graph and they add to any loss.
 *
 * <p>A weight w of shape (S, ...) is viewed as the matrix M = w.reshape(S, -1) of shape m x n (a conv
 * (S, C, KH, KW) gives S x C*KH*KW; a 1x1 factor (R, C, 1, 1) gives R x C). Gram matrices are GEMMs with a
 * transposed operand (NT for M M^T, TN for M^T M), never a materialized transpose.
 * <ul>
 * <li>SO: ||P||_F^2 with P = M M^T - I_m when m <= n, else P = M^T M - I_n (eq. 2 of the paper).</li>
 * <li>DSO: ||M^T M - I_n||_F^2 + ||M M^T - I_m||_F^2 (eq. 3).</li>
 * <li>SRIP: sigma_max(M^T M - I_n) by power iteration (eq. 6 and their implementation): from a fixed
 * seeded start vector v, repeat v = A v / ||A v||, then sigma = ||A v||, with A v = M^T (M v) - v
 * computed by two matrix-vector products (A is never formed). Every step is recorded, so the gradient
 * flows through the iterations as in the paper. A is symmetric, so ||A v|| converges to the largest
 * |eigenvalue| = sigma_max, at rate (|lambda_2| / |lambda_1|)^2 per iteration.</li>
 * </ul>
 */
public final class Orthogonality {
    /** Seed of the SRIP start vector: fixed, so the penalty is a deterministic function of w. */
    public static final long SRIP_START_SEED = 0x5121_9L;

    private Orthogonality() {
    }

    /** The weight viewed as the matrix (S, rest). */
    public static Tensor asMatrix(Tensor w) {
        if (w.rank() < 1 || w.size() == 0) {
            throw new IllegalArgumentException("orthogonality needs a non-empty weight, got " + Arrays.toString(w.shape()));
        }
        return w.reshape(w.dim(0), -1);
    }

    /** SO penalty of w, shape []. */
    public static Tensor so(Tensor w) {
        Tensor m = asMatrix(w);
        boolean wide = m.dim(0) <= m.dim(1);
        return squaredFrobenius(gramMinusIdentity(m, wide));
    }

    /** DSO penalty of w, shape []. */
    public static Tensor dso(Tensor w) {
        Tensor m = asMatrix(w);
        return squaredFrobenius(gramMinusIdentity(m, true)).add(squaredFrobenius(gramMinusIdentity(m, false)));
    }

    /** SRIP penalty of w by {@code iterations} >= 1 power iterations, shape []. */
    public static Tensor srip(Tensor w, int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("SRIP needs at least one power iteration, got " + iterations);
        }
        Tensor m = asMatrix(w);
        int n = m.dim(1);
        Tensor v = Tensor.randn(new SplittableRandom(SRIP_START_SEED), n, 1);
        for (int it = 0; it < iterations; it++) {
            Tensor u = applyGramMinusIdentity(m, v);
            v = u.mul(ElementwiseOps.pow(u.mul(u).sum(), -0.5));
        }
        Tensor av = applyGramMinusIdentity(m, v);
        return ElementwiseOps.pow(av.mul(av).sum(), 0.5);
    }

    /** (M^T M - I) v = M^T (M v) - v for v (n, 1). */
    private static Tensor applyGramMinusIdentity(Tensor m, Tensor v) {
        Tensor mv = MatMul.matmul(m, false, v, false);
        return MatMul.matmul(m, true, mv, false).sub(v);
    }

    /** M M^T - I_m (rowGram) or M^T M - I_n. */
    private static Tensor gramMinusIdentity(Tensor m, boolean rowGram) {
        Tensor gram = rowGram ? MatMul.matmul(m, false, m, true) : MatMul.matmul(m, true, m, false);
        int k = gram.dim(0);
        Tensor eye = Tensor.zeros(k, k);
        for (int i = 0; i < k; i++) {
            eye.data()[i * k + i] = 1f;
        }
        return gram.sub(eye);
    }

    private static Tensor squaredFrobenius(Tensor p) {
        return p.mul(p).sum();
    }

    /**
     * How far w is from orthogonal, as a measurement (no autograd, float64): {@code ||P||_F} with
     * {@code P = M M^T - I_m} for w as an m x n matrix M with m &lt;= n, else {@code M^T M - I_n}; the square root of
     * the SO penalty.
     */
    public static double frobeniusDistance(Tensor w) {
        int m = w.dim(0);
        int n = w.size() / m;
        float[] x = w.data();
        boolean rows = m <= n; // Gram of the rows (m x m) when wide, of the columns (n x n) when tall
        int k = rows ? m : n;
        double sum = 0;
        for (int i = 0; i < k; i++) {
            for (int j = i; j < k; j++) {
                double g = 0;
                if (rows) {
                    for (int t = 0; t < n; t++) {
                        g += (double) x[i * n + t] * x[j * n + t];
                    }
                } else {
                    for (int t = 0; t < m; t++) {
                        g += (double) x[t * n + i] * x[t * n + j];
                    }
                }
                double p = i == j ? g - 1 : g;
                sum += i == j ? p * p : 2 * p * p;
            }
        }
        return Math.sqrt(sum);
    }
}
