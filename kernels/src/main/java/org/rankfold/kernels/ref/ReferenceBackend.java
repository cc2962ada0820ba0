package org.rankfold.kernels.ref;

import org.rankfold.kernels.Backend;
import org.rankfold.kernels.Conv2dGeometry;
import org.rankfold.kernels.Transpose;

/** The scalar reference backend: the living definition of every operation, single-threaded. */
public final class ReferenceBackend implements Backend {

    @Override
    public String name() {
        return "ref";
    }

    @Override
    public int threads() {
        return 1;
    }

    @Override
    public void gemm(Transpose transA, Transpose transB, int m, int n, int k,
                     float alpha, float[] a, int aOffset, int lda,
                     float[] b, int bOffset, int ldb,
                     float beta, float[] c, int cOffset, int ldc) {
        GemmRef.gemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
    }

    @Override
    public void im2col(Conv2dGeometry g, float[] x, int xOffset, float[] cols, int colsOffset) {
        Im2colRef.im2col(g, x, xOffset, cols, colsOffset);
    }

    @Override
    public void col2im(Conv2dGeometry g, float[] cols, int colsOffset, float[] dx, int dxOffset) {
        Im2colRef.col2im(g, cols, colsOffset, dx, dxOffset);
    }
}
