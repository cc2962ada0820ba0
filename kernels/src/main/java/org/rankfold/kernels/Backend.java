package org.rankfold.kernels;

/**
 * The compute operations that layers need, on float32 data in flat row-major arrays.
 *
 * <p>Every array argument comes with an offset; arguments named {@code out}/{@code c}/{@code dx} are
 * written (or accumulated where the javadoc says so), all others are only read. Implementations must
 * give bit-identical results for the same inputs whatever their thread count: threads split output
 * blocks, never a reduction.
 */
public interface Backend {

    /** Short name for logs and reports: "ref", "cpu", "opencl". */
    String name();

    /** Worker threads this backend uses for one call (1 for single-threaded backends). */
    int threads();

    /**
     * SGEMM: {@code C = alpha * op(A) * op(B) + beta * C}. op(A) is M x K, op(B) is K x N, C is M x N,
     * all row-major with leading dimensions lda/ldb/ldc. With {@code beta == 0} C is overwritten (NaN in C
     * does not propagate). C is modified.
     */
    void gemm(Transpose transA, Transpose transB, int m, int n, int k,
              float alpha, float[] a, int aOffset, int lda,
              float[] b, int bOffset, int ldb,
              float beta, float[] c, int cOffset, int ldc);

    /**
     * im2col of one image: x is (C, H, W) at xOffset; cols (C*KH*KW, OH*OW) at colsOffset is overwritten,
     * zero where the window reads padding.
     */
    void im2col(Conv2dGeometry g, float[] x, int xOffset, float[] cols, int colsOffset);

    /**
     * col2im of one image, the adjoint of im2col: cols (C*KH*KW, OH*OW) is scattered and
     * <b>accumulated</b> into dx (C, H, W) at dxOffset; padding positions are dropped.
     */
    void col2im(Conv2dGeometry g, float[] cols, int colsOffset, float[] dx, int dxOffset);
}
