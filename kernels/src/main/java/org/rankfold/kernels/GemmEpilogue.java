package org.rankfold.kernels;

/**
 * What a GEMM does to each element of C as it stores it (the output stage of an inference convolution:
 * bias, folded scale, residual add and ReLU in the same pass as the product, while the tile is in cache).
 * For row r and column j of C, with v the product {@code sum_p op(A)[r][p] * op(B)[p][j]}, in exactly
 * this float order:
 * <pre>
 *   v = v * rowScale[r]                         (when rowScale is not null)
 *   v = v + rowBias[r]                          (when rowBias is not null)
 *   v = v + residual[residualOffset + r*ldr + j] (when residual is not null)
 *   v = v &gt; 0 ? v : 0                          (when relu; NaN becomes 0, as the ReLU kernel)
 * </pre>
 * The operations are separate multiplies and adds (never fused), so every implementation and vector width
 * gives the same bits. The residual is M x N row-major with leading dimension ldr and must not overlap C
 * (a blocked GEMM writes partial sums into C before the last k-block adds the residual).
 *
 * @param rowScale       one factor per row of C, or null for 1
 * @param rowBias        one term per row of C, or null for 0
 * @param residual       the M x N matrix added after the bias, or null
 * @param residualOffset where the residual's element (0, 0) is
 * @param ldr            the residual's leading dimension
 * @param relu           whether ReLU is applied last
 */
public record GemmEpilogue(float[] rowScale, float[] rowBias, float[] residual, int residualOffset, int ldr,
                           boolean relu) {

    /** The epilogue that changes nothing (a plain GEMM with alpha 1 and beta 0). */
    public static final GemmEpilogue NONE = new GemmEpilogue(null, null, null, 0, 0, false);

    /** Bias per row, then ReLU if asked. */
    public static GemmEpilogue bias(float[] rowBias, boolean relu) {
        return new GemmEpilogue(null, rowBias, null, 0, 0, relu);
    }

    /** Bias per row, plus a residual matrix, then ReLU if asked. */
    public static GemmEpilogue biasResidual(float[] rowBias, float[] residual, int residualOffset, int ldr, boolean relu) {
        return new GemmEpilogue(null, rowBias, residual, residualOffset, ldr, relu);
    }

    /** True when applying it changes nothing. */
    public boolean isIdentity() {
        return rowScale == null && rowBias == null && residual == null && !relu;
    }

    /**
     * Throws IllegalArgumentException naming the operand when the epilogue does not fit an M x N product
     * (per-row arrays shorter than M, a residual outside its array or with ldr &lt; N).
     */
    public void check(int m, int n) {
        if (m == 0 || n == 0) {
            return;
        }
        if (rowScale != null && rowScale.length < m) {
            throw new IllegalArgumentException("gemm epilogue: rowScale has " + rowScale.length + " elements, M = " + m);
        }
        if (rowBias != null && rowBias.length < m) {
            throw new IllegalArgumentException("gemm epilogue: rowBias has " + rowBias.length + " elements, M = " + m);
        }
        if (residual != null) {
            if (ldr < n) {
                throw new IllegalArgumentException("gemm epilogue: ldr = " + ldr + " is smaller than N = " + n);
            }
            long last = (long) residualOffset + (long) (m - 1) * ldr + n - 1;
            if (residualOffset < 0 || last >= residual.length) {
                throw new IllegalArgumentException("gemm epilogue: residual (" + m + " x " + n + ", ldr " + ldr
                        + ", offset " + residualOffset + ") needs " + (last + 1) + " elements, the array has "
                        + residual.length);
            }
        }
    }
}
