package org.rankfold.kernels.ref;

import org.rankfold.kernels.GemmArguments;
import org.rankfold.kernels.GemmEpilogue;
import org.rankfold.kernels.Transpose;

/**
 * The GEMM with an output stage ({@link GemmEpilogue}) straight from its definition: the reference product
 * ({@link GemmRef}, alpha 1, beta 0), then the epilogue element by element. The oracle for the fused kernel;
 * never optimize it.
 */
public final class GemmEpilogueRef {
    private GemmEpilogueRef() {
    }

    /** C (M x N, ldc) is overwritten with epilogue(op(A) * op(B)). */
    public static void gemm(Transpose transA, Transpose transB, int m, int n, int k,
                            float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                            float[] c, int cOffset, int ldc, GemmEpilogue epilogue) {
        GemmArguments.check(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc);
        epilogue.check(m, n);
        GemmRef.gemm(transA, transB, m, n, k, 1f, a, aOffset, lda, b, bOffset, ldb, 0f, c, cOffset, ldc);
        apply(m, n, epilogue, c, cOffset, ldc);
    }

    /** Applies the epilogue in place to the M x N matrix C (ldc), rows and columns counted from (0, 0). */
    public static void apply(int m, int n, GemmEpilogue e, float[] c, int cOffset, int ldc) {
        for (int r = 0; r < m; r++) {
            for (int j = 0; j < n; j++) {
                int at = cOffset + r * ldc + j;
                c[at] = element(e, r, j, c[at]);
            }
        }
    }

    /** The epilogue of one element: v is the product at row r, column j. */
    public static float element(GemmEpilogue e, int r, int j, float v) {
        if (e.rowScale() != null) {
            v = v * e.rowScale()[r];
        }
        if (e.rowBias() != null) {
            v = v + e.rowBias()[r];
        }
        if (e.residual() != null) {
            v = v + e.residual()[e.residualOffset() + r * e.ldr() + j];
        }
        if (e.relu()) {
            v = v > 0f ? v : 0f;
        }
        return v;
    }
}
