package org.rankfold.engine.ops;

import org.rankfold.engine.tensor.StepArena;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.kernels.Backend;
import org.rankfold.kernels.Backends;
import org.rankfold.kernels.Transpose;

/**
 * 2-D matrix product {@code C = op(A) op(B)} through {@link Backend#gemm}, where op transposes when
 * asked. The backward pass uses the GEMM transpose flags, so no transpose is ever materialized:
 * <pre>
 *   NN: dA += dC B^T        dB += A^T dC
 *   NT: dA += dC B          dB += dC^T A      (C = A B^T, B stored N x K)
 *   TN: dA += B dC^T        dB += A dC        (C = A^T B, A stored K x M)
 *   TT: dA += B^T dC^T      dB += dC^T A^T
 * </pre>
 * (each by GEMM with beta = 1, which accumulates into the existing gradient).
 */
public final class MatMul {
    private MatMul() {
    }

    /**
     * {@code op(a) * op(b)}: op(a) is M x K, op(b) is K x N, the result is M x N. a is stored M x K (or
     * K x M when transA), b is stored K x N (or N x K when transB).
     */
    public static Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB) {
        if (a.rank() != 2 || b.rank() != 2) {
            throw new IllegalArgumentException("matmul needs 2-D tensors, got " + a.rank() + "-D and " + b.rank() + "-D");
        }
        int m = transA ? a.dim(1) : a.dim(0);
        int k = transA ? a.dim(0) : a.dim(1);
        int kb = transB ? b.dim(1) : b.dim(0);
        int n = transB ? b.dim(0) : b.dim(1);
        if (k != kb) {
            throw new IllegalArgumentException("matmul: inner dimensions differ: op(A) is " + m + "x" + k
                    + ", op(B) is " + kb + "x" + n);
        }
        Backend be = Backends.current();
        float[] out = StepArena.floats(m * n);
        int lda = a.dim(1);
        int ldb = b.dim(1);
        Transpose ta = transA ? Transpose.YES : Transpose.NO;
        Transpose tb = transB ? Transpose.YES : Transpose.NO;
        if (k == 0) {
            java.util.Arrays.fill(out, 0f); // an empty product is zero (arena arrays arrive dirty)
            return Tensor.derived(out, new int[] {m, n}, "matmul", dout -> { }, a, b);
        }
        be.gemm(ta, tb, m, n, k, 1f, a.data(), 0, lda, b.data(), 0, ldb, 0f, out, 0, n);
        return Tensor.derived(out, new int[] {m, n}, "matmul", dout -> {
            Backend bk = Backends.current();
            if (a.requiresGrad()) {
                float[] ga = a.gradForAccumulation();
                if (!transA && !transB) {
                    bk.gemm(Transpose.NO, Transpose.YES, m, k, n, 1f, dout, 0, n, b.data(), 0, ldb, 1f, ga, 0, lda);
                } else if (!transA) {
                    bk.gemm(Transpose.NO, Transpose.NO, m, k, n, 1f, dout, 0, n, b.data(), 0, ldb, 1f, ga, 0, lda);
                } else if (!transB) {
                    bk.gemm(Transpose.NO, Transpose.YES, k, m, n, 1f, b.data(), 0, ldb, dout, 0, n, 1f, ga, 0, lda);
                } else {
                    bk.gemm(Transpose.YES, Transpose.YES, k, m, n, 1f, b.data(), 0, ldb, dout, 0, n, 1f, ga, 0, lda);
                }
            }
            if (b.requiresGrad()) {
                float[] gb = b.gradForAccumulation();
                if (!transA && !transB) {
                    bk.gemm(Transpose.YES, Transpose.NO, k, n, m, 1f, a.data(), 0, lda, dout, 0, n, 1f, gb, 0, ldb);
                } else if (!transA) {
                    bk.gemm(Transpose.YES, Transpose.NO, n, k, m, 1f, dout, 0, n, a.data(), 0, lda, 1f, gb, 0, ldb);
                } else if (!transB) {
                    bk.gemm(Transpose.NO, Transpose.NO, k, n, m, 1f, a.data(), 0, lda, dout, 0, n, 1f, gb, 0, ldb);
                } else {
                    bk.gemm(Transpose.YES, Transpose.YES, n, k, m, 1f, dout, 0, n, a.data(), 0, lda, 1f, gb, 0, ldb);
                }
            }
        }, a, b);
    }
}
