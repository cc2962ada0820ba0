package org.rankfold.kernels.cpu.gemm;

/**
 * A GEMM operand that is not stored as a row-major matrix but can produce any segment of one of its rows:
 * the packing routines of {@link ConvGemm} read A and B through it, so a convolution's column matrix (im2col)
 * and the transposed view of a batch of outputs are never materialized.
 */
sealed interface RowSource permits Im2colRows, BlockedRows {

    /** {@code dst[d .. d+len)} = row r, columns [c0, c0+len) of the virtual matrix. */
    void row(int r, int c0, int len, float[] dst, int d);
}
