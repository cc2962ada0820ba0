package org.rankfold.kernels.ref;

import org.rankfold.kernels.GemmArguments;
import org.rankfold.kernels.Transpose;

/**
 * Scalar SGEMM straight from the definition: {@code C[i][j] = alpha * sum_p op(A)[i][p] * op(B)[p][j]
 * + beta * C[i][j]}, M x N x K, row-major with leading dimensions. The oracle for the fast kernels;
 * never optimize it. Accumulates in double so its own rounding does not blur comparisons.
 */
public final class GemmRef {
    private GemmRef() {
    }

    /** C is modified; with beta == 0 it is overwritten (NaN in C does not propagate). */
    public static void gemm(Transpose transA, Transpose transB, int m, int n, int k,
                            float alpha, float[] a, int aOffset, int lda,
                            float[] b, int bOffset, int ldb,
                            float beta, float[] c, int cOffset, int ldc) {
        GemmArguments.check(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    float av = transA.transposed() ? a[aOffset + p * lda + i] : a[aOffset + i * lda + p];
                    float bv = transB.transposed() ? b[bOffset + j * ldb + p] : b[bOffset + p * ldb + j];
                    sum += (double) av * bv;
                }
                int ci = cOffset + i * ldc + j;
                double prior = beta == 0f ? 0.0 : (double) beta * c[ci];
                c[ci] = (float) (alpha * sum + prior);
            }
        }
    }
}
