package org.rankfold.kernels.cpu.gemm;

import org.rankfold.kernels.GemmArguments;
import org.rankfold.kernels.GemmEpilogue;
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
 *
 * <p>With a {@link GemmEpilogue} (the inference output stage: bias, scale, residual, ReLU), the last
 * k-block applies it to each register tile just after storing it, so the product never makes a second
 * pass over C; every element ends as the epilogue of the same product as without it.
 */
public final class Gemm {
    /** Below this many multiply-adds a call runs on one thread (waking workers costs more). */
    private static final long PARALLEL_MIN_MACS = 1L << 18;

    private final GemmConfig wide;
    private final GemmConfig narrow;
    private final GemmConfig small;
    private final WorkerPool pool;
    private final ThreadLocal<GemmWorkspace> wideSpace;
    private final ThreadLocal<GemmWorkspace> narrowSpace;
    private final ThreadLocal<GemmWorkspace> smallSpace;
    /** Whether few-row products take {@link SmallM} (false only in tests that compare it with the blocked path). */
    private final boolean smallM;

    /**
     * @param wide   the configuration for general shapes
     * @param narrow an alternative with a smaller MR for small M that the wide MR does not divide (the
     *               im2col shapes, M = 32 or 64); may equal wide
     */
    public Gemm(GemmConfig wide, GemmConfig narrow, WorkerPool pool) {
        this(wide, narrow, narrow, pool);
    }

    /**
     * @param small a configuration for M no larger than its MR (ranks 1-4 of a compressed layer's 1x1
     *              factors), where the wider tiles would compute mostly padding; may equal narrow
     */
    public Gemm(GemmConfig wide, GemmConfig narrow, GemmConfig small, WorkerPool pool) {
        this(wide, narrow, small, pool, true);
    }

    /** As above; smallM false sends every shape with N above {@link NarrowN#MAX_N} to the blocked path. */
    Gemm(GemmConfig wide, GemmConfig narrow, GemmConfig small, WorkerPool pool, boolean smallM) {
        if (wide.nr() != narrow.nr() || wide.nr() != small.nr()) {
            throw new IllegalArgumentException("all configurations must share NR");
        }
        this.wide = wide;
        this.narrow = narrow;
        this.small = small;
        this.pool = pool;
        this.smallM = smallM;
        this.wideSpace = ThreadLocal.withInitial(() -> new GemmWorkspace(wide));
        this.narrowSpace = ThreadLocal.withInitial(() -> new GemmWorkspace(narrow));
        this.smallSpace = small == narrow ? narrowSpace : ThreadLocal.withInitial(() -> new GemmWorkspace(small));
    }

    public GemmConfig config() {
        return wide;
    }

    /** See {@link org.rankfold.kernels.Backend#gemm}; C is modified. */
    public void gemm(Transpose transA, Transpose transB, int m, int n, int k,
                     float alpha, float[] a, int aOffset, int lda,
                     float[] b, int bOffset, int ldb,
                     float beta, float[] c, int cOffset, int ldc) {
        run(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc, null);
    }

    /**
     * {@code C = epilogue(op(A) * op(B))} (alpha 1, beta 0, then the output stage per element, see
     * {@link GemmEpilogue}); C is overwritten and must not overlap the epilogue's residual.
     */
    public void gemm(Transpose transA, Transpose transB, int m, int n, int k,
                     float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                     float[] c, int cOffset, int ldc, GemmEpilogue epilogue) {
        epilogue.check(m, n);
        run(transA, transB, m, n, k, 1f, a, aOffset, lda, b, bOffset, ldb, 0f, c, cOffset, ldc,
                epilogue.isIdentity() ? null : epilogue);
    }

    private void run(Transpose transA, Transpose transB, int m, int n, int k,
                     float alpha, float[] a, int aOffset, int lda,
                     float[] b, int bOffset, int ldb,
                     float beta, float[] c, int cOffset, int ldc, GemmEpilogue ep) {
        GemmArguments.check(transA, transB, m, n, k, a, aOffset, lda, b, bOffset, ldb, c, cOffset, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            scaleC(m, n, beta, c, cOffset, ldc);
            if (ep != null) {
                wideSpace.get().epilogue.apply(ep, m, n, c, cOffset, ldc, 0, 0);
            }
            return;
        }
        boolean ta = transA.transposed();
        boolean tb = transB.transposed();
        if (n <= NarrowN.MAX_N) {
            narrowN(ta, tb, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc, ep);
            return;
        }
        // the narrow tile wins when the wide one would pad more than 1/16 of the rows (M = 32, 64)
        boolean useNarrow = wide != narrow && waste(m, narrow.mr()) < waste(m, wide.mr())
                && 16L * waste(m, wide.mr()) > m;
        // the small tile wins outright when all of M fits it (ranks 1-4): every other tile is mostly padding
        boolean useSmall = small != narrow && m <= small.mr() && small.mr() < Math.min(wide.mr(), narrow.mr());
        GemmConfig cfg = useSmall ? small : useNarrow ? narrow : wide;
        ThreadLocal<GemmWorkspace> spaces = useSmall ? smallSpace : useNarrow ? narrowSpace : wideSpace;
        int mr = cfg.mr();
        int nr = cfg.nr();
        int colTiles = (n + nr - 1) / nr;
        int rowTiles = (m + mr - 1) / mr;
        long macs = (long) m * n * k;
        if (smallM && SmallM.applies(cfg.kernel().vectorBits(), tb, m, n, k, cfg.kc())) {
            smallM(spaces, ta, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc, ep);
            return;
        }
        // inside a caller's parallel range the call is one thread's share already: no stripes
        int parts = macs < PARALLEL_MIN_MACS || pool.insidePart() ? 1
                : Math.min(pool.threads(), Math.max(colTiles, rowTiles));
        if (parts == 1) {
            stripe(spaces.get(), ta, tb, 0, m, 0, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc, ep);
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
                stripe(ws, ta, tb, 0, m, from, to, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc, ep);
            } else {
                stripe(ws, ta, tb, from, to, 0, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc, ep);
            }
        });
    }

    /**
     * N of 1-4 ({@link NarrowN}): vectors along M, K cut into the same k-blocks as the blocked path, so every
     * element is the value the blocked path would give; threads take whole panels of rows.
     */
    private void narrowN(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, int aOffset, int lda,
                         float[] b, int bOffset, int ldb, float beta, float[] c, int cOffset, int ldc, GemmEpilogue ep) {
        int bits = wide.kernel().vectorBits();
        // threads take whole groups of panels (the unit NarrowN packs and computes together)
        int panelRows = NarrowN.groupRows(bits);
        int kcStep = wide.kcStep(k);
        int panels = (m + panelRows - 1) / panelRows;
        long macs = (long) m * n * k;
        int parts = macs < PARALLEL_MIN_MACS || pool.insidePart() ? 1 : Math.min(pool.threads(), panels);
        if (parts == 1) {
            GemmWorkspace ws = wideSpace.get();
            NarrowN.multiply(bits, kcStep, ws.packA, ws.tile, ws.narrowPanels, ta, tb, 0, m, n, k, alpha, a, aOffset,
                    lda, b, bOffset, ldb, beta, c, cOffset, ldc, ep);
            return;
        }
        pool.run(parts, t -> {
            int from = Math.min(m, (int) ((long) panels * t / parts) * panelRows);
            int to = Math.min(m, (int) ((long) panels * (t + 1) / parts) * panelRows);
            if (from < to) {
                GemmWorkspace ws = wideSpace.get();
                NarrowN.multiply(bits, kcStep, ws.packA, ws.tile, ws.narrowPanels, ta, tb, from, to, n, k, alpha, a,
                        aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc, ep);
            }
        });
    }

    /**
     * Few rows, B not transposed, one k-block ({@link SmallM}): threads take stripes of whole strips of
     * columns; the columns after the last whole strip go through the blocked path (same bits), on the last
     * stripe's thread.
     */
    private void smallM(ThreadLocal<GemmWorkspace> spaces, boolean ta, int m, int n, int k, float alpha,
                        float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                        float beta, float[] c, int cOffset, int ldc, GemmEpilogue ep) {
        int bits = wide.kernel().vectorBits();
        int w = SmallM.stripColumns(bits);
        int strips = n / w;
        int whole = strips * w;
        long macs = (long) m * n * k;
        int parts = macs < PARALLEL_MIN_MACS || pool.insidePart() ? 1 : Math.min(pool.threads(), strips);
        if (parts == 1) {
            // no lambda: a steady-state call allocates nothing
            GemmWorkspace ws = spaces.get();
            SmallM.multiply(bits, ws.epilogue, ta, m, 0, whole, k, alpha, a, aOffset, lda, b, bOffset, ldb,
                    beta, c, cOffset, ldc, ep);
            if (whole < n) {
                stripe(ws, ta, false, 0, m, whole, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset,
                        ldc, ep);
            }
            return;
        }
        pool.run(parts, t -> {
            int from = SmallM.partStart(strips, parts, t, w);
            int to = SmallM.partStart(strips, parts, t + 1, w);
            GemmWorkspace ws = spaces.get();
            SmallM.multiply(bits, ws.epilogue, ta, m, from, to, k, alpha, a, aOffset, lda, b, bOffset, ldb,
                    beta, c, cOffset, ldc, ep);
            if (t == parts - 1 && whole < n) {
                stripe(ws, ta, false, 0, m, whole, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset,
                        ldc, ep);
            }
        });
    }

    /** Rows [m0, m1) x columns [n0, n1) of C on the calling thread; ep (or null) on the last k-block. */
    private static void stripe(GemmWorkspace ws, boolean ta, boolean tb, int m0, int m1, int n0, int n1, int k,
                               float alpha, float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                               float beta, float[] c, int cOffset, int ldc, GemmEpilogue ep) {
        GemmConfig cfg = ws.config;
        int mr = cfg.mr();
        int kcStep = cfg.kcStep(k);
        if (m1 - m0 <= cfg.mc()) {
            // a single A block (small M, e.g. im2col GEMMs): pack it once per k-block, not once per column block
            for (int pc = 0; pc < k; pc += kcStep) {
                int kc = Math.min(kcStep, k - pc);
                float betaHere = pc == 0 ? beta : 1f;
                GemmEpilogue epHere = pc + kc == k ? ep : null;
                PackA.pack(ta, mr, a, aOffset, lda, m0, m1 - m0, pc, kc, ws.packA);
                for (int jc = n0; jc < n1; jc += cfg.ncSmallM()) {
                    int nc = Math.min(cfg.ncSmallM(), n1 - jc);
                    PackB.pack(cfg.kernel(), tb, b, bOffset, ldb, pc, kc, jc, nc, ws.packB);
                    MacroKernel.multiply(ws, m1 - m0, nc, kc, alpha, betaHere, c, cOffset, ldc, m0, jc, epHere);
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
                GemmEpilogue epHere = pc + kc == k ? ep : null;
                PackB.pack(cfg.kernel(), tb, b, bOffset, ldb, pc, kc, jc, nc, ws.packB);
                // ic: one A block of MC rows, packed into MR-row micro-panels
                for (int ic = m0; ic < m1; ic += cfg.mc()) {
                    int mc = Math.min(cfg.mc(), m1 - ic);
                    PackA.pack(ta, mr, a, aOffset, lda, ic, mc, pc, kc, ws.packA);
                    MacroKernel.multiply(ws, mc, nc, kc, alpha, betaHere, c, cOffset, ldc, ic, jc, epHere);
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
