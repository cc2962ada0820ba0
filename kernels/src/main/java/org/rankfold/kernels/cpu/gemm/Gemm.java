package org.rankfold.kernels.cpu.gemm;

import org.rankfold.kernels.GemmArguments;
import org.rankfold.kernels.Transpose;
import org.rankfold.kernels.cpu.WorkerPool;

/**
 * SGEMM {@code C = alpha * op(A) * op(B) + beta * C} in the BLIS structure. op(A) is M x K, op(B) K x N,
 * C M x N, all row-major with leading dimensions lda, ldb, ldc (A stored M x K, or K x M when transposed;
 * B stored K x N, or N x K when transposed).
 *
 * <p>Loops, outermost first: jc over NC columns, pc over k-blocks (pack a B block; beta applies to the
 * first k-block only, later ones add), ic over MC rows (pack an A block), then the {@link MacroKernel}.
 * K is cut into ceil(K/KC) blocks of equal depth (K = 1100 with KC = 320 becomes 4 x 275 rather than
 * 3 x 320 + 140: a thin last block costs a full pass over C for little work).
 * When all of M fits one A block (M &lt;= MC), the k-blocks are the outer loop so A is packed once per
 * k-block; the order of the k-blocks, and so every element's value, is the same on both paths.
 * Threads split C into stripes of whole register tiles (columns when there are enough, else rows) and each
 * runs the loops on its stripe with its own buffers; the K reduction is never split, so every element is
 * the same fused multiply-add chain for any thread count: results are bit-identical for 1 and N threads.
 */
public final class Gemm {
    /** Below this many multiply-adds a call runs on one thread (waking workers costs more). */
    private static final long PARALLEL_MIN_MACS = 1L << 18;

    private final GemmConfig wide;
    private final GemmConfig narrow;
    private final WorkerPool pool;
    private final ThreadLocal<GemmWorkspace> wideSpace;
    private final ThreadLocal<GemmWorkspace> narrowSpace;

    /**
     * @param wide   the configuration for general shapes
     * @param narrow an alternative with a smaller MR for small M that the wide MR does not divide (the
     *               im2col shapes, M = 32 or 64); may equal wide
     */
    public Gemm(GemmConfig wide, GemmConfig narrow, WorkerPool pool) {
        if (wide.nr() != narrow.nr()) {
            throw new IllegalArgumentException("both configurations must share NR");
        }
        this.wide = wide;
        this.narrow = narrow;
        this.pool = pool;
        this.wideSpace = ThreadLocal.withInitial(() -> new GemmWorkspace(wide));
        this.narrowSpace = ThreadLocal.withInitial(() -> new GemmWorkspace(narrow));
    }

    public GemmConfig config() {
        return wide;
    }

    /** See {@link org.rankfold.kernels.Backend#gemm}; C is modified. */
    public void gemm(Transpose transA, Transpose transB, int m, int n, int k,
                     float alpha, float[] a, int aOffset, int lda,
                     float[] b, int bOffset, int ldb,
                     float beta, float[] c, int cOffset, int ldc) {
        GemmArguments.check(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            scaleC(m, n, beta, c, cOffset, ldc);
            return;
        }
        boolean ta = transA.transposed();
        boolean tb = transB.transposed();
        // the narrow tile wins when the wide one would pad more than 1/16 of the rows (M = 32, 64)
        boolean useNarrow = wide != narrow && waste(m, narrow.mr()) < waste(m, wide.mr())
                && 16L * waste(m, wide.mr()) > m;
        GemmConfig cfg = useNarrow ? narrow : wide;
        ThreadLocal<GemmWorkspace> spaces = useNarrow ? narrowSpace : wideSpace;
        int mr = cfg.mr();
        int nr = cfg.nr();
        int colTiles = (n + nr - 1) / nr;
        int rowTiles = (m + mr - 1) / mr;
        long macs = (long) m * n * k;
        // inside a caller's parallel range the call is one thread's share already: no stripes
        int parts = macs < PARALLEL_MIN_MACS || pool.insidePart() ? 1
                : Math.min(pool.threads(), Math.max(colTiles, rowTiles));
        if (parts == 1) {
            stripe(spaces.get(), ta, tb, 0, m, 0, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
            return;
        }
        // split columns when every thread gets at least two tiles, else rows: both keep tile boundaries fixed
        boolean byColumns = colTiles >= 2 * parts || colTiles >= rowTiles;
        int tiles = byColumns ? colTiles : rowTiles;
        int step = byColumns ? nr : mr;
        int limit = byColumns ? n : m;
        pool.run(parts, t -> {
            int from = Math.min(limit, (int) ((long) tiles * t / parts) * step);
            int to = Math.min(limit, (int) ((long) tiles * (t + 1) / parts) * step);
            if (from >= to) {
                return;
            }
            GemmWorkspace ws = spaces.get();
            if (byColumns) {
                stripe(ws, ta, tb, 0, m, from, to, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
            } else {
                stripe(ws, ta, tb, from, to, 0, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
            }
        });
    }

    /** Rows [m0, m1) x columns [n0, n1) of C on the calling thread. */
    private static void stripe(GemmWorkspace ws, boolean ta, boolean tb, int m0, int m1, int n0, int n1, int k,
                               float alpha, float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                               float beta, float[] c, int cOffset, int ldc) {
        GemmConfig cfg = ws.config;
        int mr = cfg.mr();
        int blocks = (k + cfg.kc() - 1) / cfg.kc();
        int kcStep = (k + blocks - 1) / blocks;
        if (m1 - m0 <= cfg.mc()) {
            // a single A block (small M, e.g. im2col GEMMs): pack it once per k-block, not once per column block
            for (int pc = 0; pc < k; pc += kcStep) {
                int kc = Math.min(kcStep, k - pc);
                float betaHere = pc == 0 ? beta : 1f;
                PackA.pack(ta, mr, a, aOffset, lda, m0, m1 - m0, pc, kc, ws.packA);
                for (int jc = n0; jc < n1; jc += cfg.ncSmallM()) {
                    int nc = Math.min(cfg.ncSmallM(), n1 - jc);
                    PackB.pack(cfg.kernel(), tb, b, bOffset, ldb, pc, kc, jc, nc, ws.packB);
                    MacroKernel.multiply(ws, m1 - m0, nc, kc, alpha, betaHere, c, cOffset, ldc, m0, jc);
                }
            }
            return;
        }
        // jc: one B block of NC columns
        for (int jc = n0; jc < n1; jc += cfg.nc()) {
            int nc = Math.min(cfg.nc(), n1 - jc);
            // pc: one k-block of the product; beta applies once, later blocks accumulate
            for (int pc = 0; pc < k; pc += kcStep) {
                int kc = Math.min(kcStep, k - pc);
                float betaHere = pc == 0 ? beta : 1f;
                PackB.pack(cfg.kernel(), tb, b, bOffset, ldb, pc, kc, jc, nc, ws.packB);
                // ic: one A block of MC rows, packed into MR-row micro-panels
                for (int ic = m0; ic < m1; ic += cfg.mc()) {
                    int mc = Math.min(cfg.mc(), m1 - ic);
                    PackA.pack(ta, mr, a, aOffset, lda, ic, mc, pc, kc, ws.packA);
                    MacroKernel.multiply(ws, mc, nc, kc, alpha, betaHere, c, cOffset, ldc, ic, jc);
                }
            }
        }
    }

    /**
     * The rule of {@link #gemm} for M rows: the narrow tile wins when the wide one would pad more than 1/16
     * of the rows (M = 32, 64). {@link ConvGemm} applies the same rule, so it packs the same panels.
     */
    static boolean prefersNarrow(int m, GemmConfig wide, GemmConfig narrow) {
        return waste(m, narrow.mr()) < waste(m, wide.mr()) && 16L * waste(m, wide.mr()) > m;
    }

    private static int waste(int m, int mr) {
        return (m + mr - 1) / mr * mr - m;
    }

    private static void scaleC(int m, int n, float beta, float[] c, int cOffset, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int at = cOffset + i * ldc + j;
                c[at] = beta == 0f ? 0f : beta * c[at];
            }
        }
    }
}
