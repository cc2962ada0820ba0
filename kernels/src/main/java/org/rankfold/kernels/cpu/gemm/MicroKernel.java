package org.rankfold.kernels.cpu.gemm;

/**
 * One MR x NR register tile of C, looping over k only (the BLIS micro-kernel).
 *
 * <p>a is a packed A micro-panel: KC x MR, element (p, i) at {@code aOffset + p*MR + i}; b is a packed B
 * micro-panel: KC x NR, element (p, j) at {@code bOffset + p*NR + j}. The tile
 * {@code acc[i][j] = sum_{p < kc} a(p, i) * b(p, j)} is accumulated as one fused multiply-add chain per
 * element in ascending p, then written to C (row-major, leading dimension ldc):
 * {@code C = fma(acc, alpha, beta*C)}, or {@code C = acc*alpha} without reading C when beta == 0.
 * Implementations must use exactly these formulas: the macro-kernel applies the same ones to edge tiles.
 */
public interface MicroKernel {

    /** Rows of the register tile. */
    int mr();

    /** Columns of the register tile. */
    int nr();

    /** Vector width in bits, 0 for the scalar kernel. */
    int vectorBits();

    /**
     * Scatters one row segment of a row-major B (not transposed) over full panels: for t &lt; panels,
     * NR floats from {@code b[src + t*NR ..]} to {@code dst[dstOffset + t*panelStride ..]}. The kernel does
     * it because it knows NR and its vector width as constants: for small M the B copy costs about as much
     * as the multiply (each element of B is used only M times), and a {@code System.arraycopy} call per
     * NR floats is several times slower than two vector moves.
     */
    void packRow(int panels, float[] b, int src, float[] dst, int dstOffset, int panelStride);

    /** Computes one full MR x NR tile; C rows {@code cOffset + i*ldc}, i < MR, columns j < NR are modified. */
    void multiply(int kc, float[] a, int aOffset, float[] b, int bOffset,
                  float alpha, float beta, float[] c, int cOffset, int ldc);
}
