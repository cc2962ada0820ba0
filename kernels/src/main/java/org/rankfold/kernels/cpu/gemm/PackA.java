package org.rankfold.kernels.cpu.gemm;

/**
 * Packs a block of op(A) (rows [row0, row0+mc), depth [p0, p0+kc)) into MR-row micro-panels: panel t holds
 * rows row0 + t*MR .. +MR, k-major (element (p, i) at {@code t*MR*kc + p*MR + i}); rows past the block's
 * end are zero so the micro-kernel can always compute a full tile.
 *
 * <p>A not transposed: op(A)(i, p) = a[aOffset + i*lda + p]; transposed: a[aOffset + p*lda + i].
 */
public final class PackA {
    private PackA() {
    }

    /** dst[0 .. ceil(mc/MR)*MR*kc) is overwritten. */
    public static void pack(boolean transposed, int mr, float[] a, int aOffset, int lda,
                            int row0, int mc, int p0, int kc, float[] dst) {
        pack(transposed, mr, a, aOffset, lda, row0, mc, p0, kc, dst, 0);
    }

    /** As above, the panels written from dst[dstOffset]. */
    public static void pack(boolean transposed, int mr, float[] a, int aOffset, int lda,
                            int row0, int mc, int p0, int kc, float[] dst, int dstOffset) {
        int panels = (mc + mr - 1) / mr;
        // panels: MR rows at a time
        for (int t = 0; t < panels; t++) {
            int rows = Math.min(mr, mc - t * mr);
            int base = dstOffset + t * mr * kc;
            if (transposed) {
                // op(A) row i is column i of the stored K x M matrix: MR contiguous floats per k
                for (int p = 0; p < kc; p++) {
                    int src = aOffset + (p0 + p) * lda + row0 + t * mr;
                    int d = base + p * mr;
                    for (int i = 0; i < rows; i++) {
                        dst[d + i] = a[src + i];
                    }
                    for (int i = rows; i < mr; i++) {
                        dst[d + i] = 0f;
                    }
                }
            } else {
                // read each stored row contiguously, write with stride MR
                for (int i = 0; i < rows; i++) {
                    int src = aOffset + (row0 + t * mr + i) * lda + p0;
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * mr + i] = a[src + p];
                    }
                }
                for (int i = rows; i < mr; i++) {
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * mr + i] = 0f;
                    }
                }
            }
        }
    }
}
