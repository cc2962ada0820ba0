package org.rankfold.kernels.cpu.gemm;

/**
 * Packs a block of op(B) (depth [p0, p0+kc), columns [col0, col0+nc)) into NR-column micro-panels:
 * panel t holds columns col0 + t*NR .. +NR, k-major (element (p, j) at {@code t*kc*NR + p*NR + j});
 * columns past the block's end are zero so the micro-kernel can always compute a full tile.
 *
 * <p>B not transposed: op(B)(p, j) = b[bOffset + p*ldb + j]; the block is read row by row (nc contiguous
 * floats, which the hardware prefetchers follow) and scattered by the micro-kernel's
 * {@link MicroKernel#packRow} (vector moves).
 * Transposed: op(B)(p, j) = b[bOffset + j*ldb + p], read along stored rows.
 */
public final class PackB {
    private PackB() {
    }

    /** dst[0 .. ceil(nc/NR)*NR*kc) is overwritten. */
    public static void pack(MicroKernel kernel, boolean transposed, float[] b, int bOffset, int ldb,
                            int p0, int kc, int col0, int nc, float[] dst) {
        int nr = kernel.nr();
        int fullPanels = nc / nr;
        int tail = nc - fullPanels * nr;
        int panelSize = kc * nr;
        if (!transposed) {
            // p: one contiguous row segment of B (read sequentially), scattered over the panels
            for (int p = 0; p < kc; p++) {
                int src = bOffset + (p0 + p) * ldb + col0;
                kernel.packRow(fullPanels, b, src, dst, p * nr, panelSize);
                if (tail > 0) {
                    int at = fullPanels * panelSize + p * nr;
                    System.arraycopy(b, src + fullPanels * nr, dst, at, tail);
                    for (int j = tail; j < nr; j++) {
                        dst[at + j] = 0f;
                    }
                }
            }
        } else {
            // j: stored row j of B is column j of op(B): read contiguously, write with stride NR
            for (int j = 0; j < nc; j++) {
                int src = bOffset + (col0 + j) * ldb + p0;
                int d = (j / nr) * panelSize + j % nr;
                for (int p = 0; p < kc; p++) {
                    dst[d + p * nr] = b[src + p];
                }
            }
            if (tail > 0) {
                int d = fullPanels * panelSize;
                for (int p = 0; p < kc; p++) {
                    for (int j = tail; j < nr; j++) {
                        dst[d + p * nr + j] = 0f;
                    }
                }
            }
        }
    }
}
