package org.rankfold.kernels.cpu.gemm;

import org.rankfold.kernels.GemmEpilogue;

/**
 * Multiplies one packed A block (mc x kc) by one packed B block (kc x nc) into C: loops jr over NR-column
 * micro-panels, ir over MR-row micro-panels, and calls the micro-kernel.
 * Full tiles go straight to C; edge tiles are computed into a scratch tile and copied with the
 * micro-kernel's formulas ({@code fma(acc, alpha, beta*C)}, or {@code acc*alpha} when beta == 0), so an
 * element's value never depends on which path computed it. With an epilogue (the last k-block of a GEMM
 * with an output stage), each tile gets it right after its store, while the tile is in L1.
 */
final class MacroKernel {
    private MacroKernel() {
    }

    /**
     * Block at rows [row0, row0+mc), columns [col0, col0+nc) of C, from ws.packA and ws.packB.
     */
    static void multiply(GemmWorkspace ws, int mc, int nc, int kc,
                         float alpha, float beta, float[] c, int cOffset, int ldc, int row0, int col0) {
        multiply(ws, mc, nc, kc, alpha, beta, c, cOffset, ldc, row0, col0, null);
    }

    /** As above, then {@code epilogue} (null: none) on every tile; row0/col0 count from C's (0, 0). */
    static void multiply(GemmWorkspace ws, int mc, int nc, int kc, float alpha, float beta, float[] c,
                         int cOffset, int ldc, int row0, int col0, GemmEpilogue epilogue) {
        MicroKernel kernel = ws.config.kernel();
        int mr = kernel.mr();
        int nr = kernel.nr();
        float[] pa = ws.packA;
        float[] pb = ws.packB;
        // jr: one B micro-panel (KC x NR), kept in L1 while every A micro-panel passes over it
        for (int jr = 0; jr < nc; jr += nr) {
            int cols = Math.min(nr, nc - jr);
            int bPanel = (jr / nr) * kc * nr;
            // ir: one A micro-panel (KC x MR) streamed from the L2-resident A block
            for (int ir = 0; ir < mc; ir += mr) {
                int rows = Math.min(mr, mc - ir);
                int aPanel = ir * kc;
                int cAt = cOffset + (row0 + ir) * ldc + col0 + jr;
                if (rows == mr && cols == nr) {
                    kernel.multiply(kc, pa, aPanel, pb, bPanel, alpha, beta, c, cAt, ldc);
                } else {
                    kernel.multiply(kc, pa, aPanel, pb, bPanel, 1f, 0f, ws.tile, 0, nr);
                    storeEdge(ws.tile, nr, rows, cols, alpha, beta, c, cAt, ldc);
                }
                if (epilogue != null) {
                    ws.epilogue.apply(epilogue, rows, cols, c, cAt, ldc, row0 + ir, col0 + jr);
                }
            }
        }
    }

    private static void storeEdge(float[] tile, int nr, int rows, int cols, float alpha, float beta,
                                  float[] c, int cAt, int ldc) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                int at = cAt + i * ldc + j;
                float acc = tile[i * nr + j];
                c[at] = beta == 0f ? acc * alpha : Math.fma(acc, alpha, beta * c[at]);
            }
        }
    }
}
