package org.rankfold.kernels.cpu.gemm;

import org.rankfold.kernels.Conv2dGeometry;
import org.rankfold.kernels.GemmEpilogue;
import org.rankfold.kernels.PackedConvWeights;
import org.rankfold.kernels.cpu.WorkerPool;

/**
 * The three GEMMs of a convolution over a chunk of images, with operands read where they lie: the im2col
 * matrix through {@link Im2colRows} (never materialized) and the (OC, images*OH*OW) view of activations
 * (images, OC, OH*OW) through {@link BlockedRows}, so neither im2col nor a layout transpose makes a pass
 * over memory. With x (images, C, H, W), W (OC, C*KH*KW), y and dy (images, OC, OH*OW):
 * <pre>
 *   forward:       y       = W * im2col(x)                 (C stored into y's blocks)
 *   weight grad:   dW      = beta dW + dy^T * im2col(x)^T
 *   data cols:     cols    = W^T * dy^T                    (then col2im, by the caller)
 * </pre>
 * The loops are {@link Gemm}'s (same k-blocks, same packed panel layout, same micro-kernels and edge-tile
 * formulas), so every element is the same fused multiply-add chain as the explicit im2col + GEMM +
 * transpose would compute: bit for bit the same results, for every thread count and vector width. Threads
 * split the columns of C in whole register tiles when the call is not already inside a caller's parallel
 * range.
 */
public final class ConvGemm {
    /** Floats of grid and product per group of images in {@link #forward} (512 KiB, half a core's L2). */
    private static final long GRID_GROUP_FLOATS = 1L << 17;
    /** Below this many multiply-adds a call runs on one thread (as {@link Gemm}). */
    private static final long PARALLEL_MIN_MACS = 1L << 18;
    /**
     * Below this many multiply-adds a few-row product on the padded grid runs on one thread. Such a call
     * outside a parallel range is one image's stage at batch 1 (the plan keeps steps under 2^19
     * multiply-adds per image whole); its second thread read a grid that the first core had just written
     * and was often parked: a resnet20 with 8x fewer parameters ran 0.39-0.46 of its MACs ratio over its
     * dense model at 2 threads with 2^18 here, 0.48-0.60 with 2^20, in 6 alternated rounds
     * (docs/benchmarks.md, 2026-12-04 evening).
     */
    private static final long GRID_SMALL_M_PARALLEL_MIN_MACS = 1L << 20;

    private final GemmConfig wide;
    private final GemmConfig narrow;
    private final GemmConfig small;
    private final WorkerPool pool;
    private final ThreadLocal<Space> wideSpace;
    private final ThreadLocal<Space> narrowSpace;
    private final ThreadLocal<Space> smallSpace;
    private final ThreadLocal<GridSpace> gridSpace = ThreadLocal.withInitial(GridSpace::new);
    private final EpilogueStage epilogue;

    /**
     * One thread's buffers: the GEMM's packing buffers, one row segment of a virtual operand, and the NR row
     * segments (with the gather indices) of {@link TransposedPanels}.
     */
    private static final class Space {
        final GemmWorkspace ws;
        final float[] row;
        final float[] rows;
        final int[] index;

        Space(GemmConfig cfg) {
            ws = new GemmWorkspace(cfg);
            row = new float[Math.max(cfg.nc(), cfg.kc())];
            rows = new float[TransposedPanels.bufferSize(cfg)];
            index = new int[16];
        }
    }

    /**
     * The same configurations as the {@link Gemm} of the backend, chosen by the same rules: {@code small} for
     * M no larger than its MR (a decomposed layer's rank-1..4 core), {@code narrow} when the wide MR would
     * pad many rows (M = 32, 64), else {@code wide}.
     */
    public ConvGemm(GemmConfig wide, GemmConfig narrow, GemmConfig small, WorkerPool pool) {
        this.wide = wide;
        this.narrow = narrow;
        this.small = small;
        this.pool = pool;
        this.wideSpace = ThreadLocal.withInitial(() -> new Space(wide));
        this.narrowSpace = ThreadLocal.withInitial(() -> new Space(narrow));
        this.smallSpace = small == narrow ? narrowSpace : ThreadLocal.withInitial(() -> new Space(small));
        this.epilogue = new EpilogueStage(wide.kernel().vectorBits());
    }

    /** y (images, OC, OH*OW) at yOffset = W (OC x C*KH*KW) * im2col(x); y is overwritten. */
    public void forward(Conv2dGeometry g, int images, int oc, float[] w, int wOffset, float[] x, int xOffset,
                        float[] y, int yOffset) {
        int ohw = g.colCols();
        check(g, images, oc, "w", w, wOffset, (long) oc * g.colRows(), "x", x, xOffset, "y", y, yOffset);
        if (images > 0 && gridPays(g, oc)) {
            // one copy of the images onto a padded grid instead of building every im2col row (same values)
            forwardGridGroups(g, images, oc, w, wOffset, x, xOffset, y, yOffset, PaddedGrid.Gather.COPY);
            return;
        }
        run(oc, images * ohw, g.colRows(), new Dense(w, wOffset, g.colRows(), false),
                new Virtual(new Im2colRows(g, x, xOffset), false), 0f,
                new BlockedRows(y, yOffset, ohw, oc * ohw, ohw));
    }

    /** dw (OC x C*KH*KW) at dwOffset = beta*dw + dy^T * im2col(x)^T, dy (images, OC, OH*OW). */
    public void weightGrad(Conv2dGeometry g, int images, int oc, float[] dy, int dyOffset, float[] x, int xOffset,
                           float beta, float[] dw, int dwOffset) {
        int ohw = g.colCols();
        check(g, images, oc, "dw", dw, dwOffset, (long) oc * g.colRows(), "x", x, xOffset, "dy", dy, dyOffset);
        if (images > 0 && weightGradOnGridPays(g, oc)) {
            weightGradOnGrid(g, images, oc, dy, dyOffset, x, xOffset, beta, dw, dwOffset);
            return;
        }
        run(oc, g.colRows(), images * ohw, new Virtual(new BlockedRows(dy, dyOffset, ohw, oc * ohw, ohw), false),
                new Virtual(new Im2colRows(g, x, xOffset), true), beta,
                new Dense(dw, dwOffset, g.colRows(), false));
    }

    /** cols (C*KH*KW, images*OH*OW) at colsOffset = W^T * dy^T, dy (images, OC, OH*OW); cols is overwritten. */
    public void dataCols(Conv2dGeometry g, int images, int oc, float[] w, int wOffset, float[] dy, int dyOffset,
                         float[] cols, int colsOffset) {
        int ohw = g.colCols();
        int n = images * ohw;
        check(g, images, oc, "w", w, wOffset, (long) oc * g.colRows(), "cols", cols, colsOffset, "dy", dy, dyOffset);
        if (colsOffset > cols.length - (long) g.colRows() * n) {
            throw new IllegalArgumentException("cols: " + g.colRows() + " x " + n + " at " + colsOffset
                    + " exceeds the array of " + cols.length);
        }
        run(g.colRows(), n, oc, new Dense(w, wOffset, g.colRows(), true),
                new Virtual(new BlockedRows(dy, dyOffset, ohw, oc * ohw, ohw), false), 0f,
                new Dense(cols, colsOffset, n, false));
    }

    /**
     * Whether the padded grid ({@link #forwardOnGrid}, and {@link #forward} for centred windows) is
     * expected to beat im2col and {@link Gemm} for OC output channels, by the per-layer timings of resnet20 and
     * fashionnet (docs/benchmarks.md):
     * <ul>
     *   <li>never when K = C*KH*KW is under OC (a first layer on one channel): copying the product's OC rows
     *       out of the grid then costs more than the K rows of im2col it saves;</li>
     *   <li>always when {@link SmallM} takes the product (OC of at most 16): it reads B's rows straight from
     *       the grid, with no packing at all;</li>
     *   <li>otherwise not for K under 32 (each register tile's setup and store outweigh its few multiply-adds),
     *       nor when the register tiles pad OC by more than half (OC = 17 on 12-row tiles); OC = 18 and 21
     *       (fashionnet 3x's cores, 6 and 3 padded rows) gained 6-11% on the grid.</li>
     * </ul>
     */
    public boolean gridPays(Conv2dGeometry g, int oc) {
        if (!PaddedGrid.fits(g) || g.colRows() < oc) {
            return false; // the output's copy out of the grid product would cost more than the im2col it saves
        }
        if (SmallM.applies(wide.kernel().vectorBits(), false, oc, Integer.MAX_VALUE, g.colRows(), wide.kc())) {
            return true; // read in place by SmallM (no packing at all), whatever K
        }
        if (g.colRows() < 32) {
            return false;
        }
        int mr = configFor(oc).mr();
        int padded = (oc + mr - 1) / mr * mr - oc;
        return 2 * padded <= oc;
    }

    /**
     * y = ep(W * im2col(x)) for a convolution with centred windows ({@link PaddedGrid#fits}: stride 1 or 2, odd
     * kernel, padding (K-1)/2) of images stored channel-major, the inference plan's layout: channel c of image
     * i at {@code x[xOffset + c*ldx + i*H*W]}, output channel o of image i at {@code y[yOffset + o*ldy +
     * i*OH*OW]}; ep may be {@link GemmEpilogue#NONE}, and its residual is indexed like y. The images are
     * copied once onto a {@link PaddedGrid}, B's rows are read from it (packed with vector moves, or in place
     * by {@link SmallM}), the product over the grid's columns is gathered into y and the output stage runs
     * along y's rows. The k-blocks, panels, micro-kernels and store formulas are {@link Gemm}'s, so every
     * element is the value that im2col and the GEMM with the same epilogue give, bit for bit.
     */
    public void forwardOnGrid(Conv2dGeometry g, int images, int oc, float[] w, int wOffset, float[] x, int xOffset,
                              int ldx, float[] y, int yOffset, int ldy, GemmEpilogue ep) {
        forwardOnGrid(g, images, oc, w, wOffset, null, x, xOffset, ldx, y, yOffset, ldy, ep);
    }

    /**
     * {@link #forwardOnGrid} with w also given as {@link #packWeights} made of it (ignored when null or made for
     * another weight, shape or GEMM): its panels are copied instead of packed on every call.
     */
    public void forwardOnGrid(Conv2dGeometry g, int images, int oc, float[] w, int wOffset, PackedConvWeights packed,
                              float[] x, int xOffset, int ldx, float[] y, int yOffset, int ldy, GemmEpilogue ep) {
        if (images == 0) {
            return;
        }
        int plane = g.height() * g.width();
        int outPlane = g.colCols();
        if (images < 0 || oc < 1 || ldx < images * plane || ldy < images * outPlane) {
            throw new IllegalArgumentException("convolution on a padded grid needs images >= 0, OC >= 1 and leading "
                    + "dimensions of at least images*H*W = " + images * plane + " (x) and images*OH*OW = "
                    + images * outPlane + " (y), got " + images + ", " + oc + ", " + ldx + ", " + ldy);
        }
        int n = images * outPlane;
        range("w", w, wOffset, (long) oc * g.colRows());
        range("x", x, xOffset, (long) (g.channels() - 1) * ldx + (long) images * plane);
        range("y", y, yOffset, (long) (oc - 1) * ldy + n);
        ep.check(oc, n);
        forwardGrid(g, images, oc, w, wOffset, packed instanceof PackedWeights pw ? pw : null, x, xOffset, plane, ldx,
                y, yOffset, outPlane, ldy, PaddedGrid.Gather.COPY);
        if (!ep.isIdentity()) {
            // the output stage along y's whole rows (full vectors; per-tile stores cut at image-row edges left
            // most of a row to the scalar tail)
            epilogue.apply(ep, oc, n, y, yOffset, ldy, 0, 0);
        }
    }

    /**
     * The product on a {@link PaddedGrid}: channel c of image i read at {@code x[xOffset + i*xImage + c*xChannel]},
     * output channel o of image i stored at {@code y[yOffset + i*yImage + o*yChannel]} (H*W and OH*OW floats),
     * as {@code gather} says (copied, added, or added to zeros without reading y).
     */
    private void forwardGrid(Conv2dGeometry g, int images, int oc, float[] w, int wOffset, PackedWeights packed,
                             float[] x, int xOffset, int xImage, int xChannel, float[] y, int yOffset, int yImage,
                             int yChannel, PaddedGrid.Gather gather) {
        GridSpace space = gridSpace.get();
        PaddedGrid grid = space.layout(g, images);
        float[] gridData = space.grid = GridSpace.atLeast(space.grid, grid.size());
        float[] product = space.product = GridSpace.atLeast(space.product, (long) oc * grid.columns);
        int bits = wide.kernel().vectorBits();
        grid.fill(bits, x, xOffset, xImage, xChannel, gridData);
        int k = g.colRows();
        int n = grid.columns;
        Object a = packed != null && packed.isFor(this, configFor(oc), w, wOffset, oc, k) ? packed
                : new Dense(w, wOffset, k, false);
        Shifted b = new Shifted(gridData, grid);
        Dense c = new Dense(product, 0, n, false);
        if (SmallM.applies(bits, false, oc, n, k, wide.kc())) {
            // few rows: B's rows read in place from the grid, whole strips by SmallM, the rest blocked (same bits)
            int[] rowAt = space.rowOffsets(grid, k);
            int strip = SmallM.stripColumns(bits);
            int strips = n / strip;
            long macs = (long) oc * n * k;
            int parts = macs < GRID_SMALL_M_PARALLEL_MIN_MACS || pool.insidePart() ? 1
                    : Math.min(pool.threads(), strips);
            if (parts == 1) {
                SmallM.multiply(bits, epilogue, false, oc, 0, strips * strip, k, 1f, w, wOffset, k, gridData, 0, 0,
                        rowAt, 0f, product, 0, n, null);
            } else {
                pool.run(parts, t -> SmallM.multiply(bits, epilogue, false, oc,
                        SmallM.partStart(strips, parts, t, strip), SmallM.partStart(strips, parts, t + 1, strip), k,
                        1f, w, wOffset, k, gridData, 0, 0, rowAt, 0f, product, 0, n, null));
            }
            if (strips * strip < n) {
                stripe(spacesFor(oc).get(), oc, strips * strip, n, k, a, b, 0f, c);
            }
        } else {
            run(oc, n, k, a, b, 0f, c);
        }
        grid.gather(bits, oc, product, y, yOffset, yImage, yChannel, gather);
    }

    /**
     * {@link #forwardGrid} over images stored one after another, x (images, C, H, W) and y (images, OC, OH*OW),
     * in groups of images whose grid and product take at most {@link #GRID_GROUP_FLOATS}, so they stay in L2
     * (a training chunk's would not: fashionnet's 28x28 layers ran 6% slower with whole chunks).
     */
    private void forwardGridGroups(Conv2dGeometry g, int images, int oc, float[] w, int wOffset, float[] x,
                                   int xOffset, float[] y, int yOffset, PaddedGrid.Gather gather) {
        GridSpace space = gridSpace.get();
        PaddedGrid one = space.single(g);
        long perImage = one.size() + (long) oc * one.columns;
        int group = (int) Math.max(1, Math.min(images, GRID_GROUP_FLOATS / perImage));
        int plane = g.height() * g.width();
        int outImage = oc * g.colCols();
        // several groups: W packed once for all of them (the buffer is this thread's, the weight fixed meanwhile)
        PackedWeights packed = null;
        if (group < images) {
            packed = packWeights(oc, g.colRows(), w, wOffset, space.packedWeights);
            if (packed != null) {
                space.packedWeights = packed.panels();
            }
        }
        for (int i = 0; i < images; i += group) {
            int nb = Math.min(group, images - i);
            forwardGrid(g, nb, oc, w, wOffset, packed, x, xOffset + i * g.inputSize(), g.inputSize(), plane, y,
                    yOffset + i * outImage, outImage, g.colCols(), gather);
        }
    }

    /**
     * W (OC x K at wOffset, row-major) packed into the A panels {@link #forwardOnGrid} reads for OC output
     * channels of depth K, or null where the GEMM blocks the rows (OC above the configuration's MC) and packs
     * per row block; {@code into} is reused when large enough.
     */
    PackedWeights packWeights(int oc, int k, float[] w, int wOffset, float[] into) {
        GemmConfig cfg = configFor(oc);
        if (oc > cfg.mc() || k < 1) {
            return null;
        }
        return new PackedWeights(this, cfg, cfg.kcStep(k), w, wOffset, oc, k, into);
    }

    /** {@link #packWeights} for a caller that keeps the panels across calls (an inference plan). */
    public PackedConvWeights packConvWeights(int oc, int k, float[] w, int wOffset) {
        range("w", w, wOffset, (long) oc * k);
        return packWeights(oc, k, w, wOffset, null);
    }

    /**
     * The data gradient of a stride-1 convolution with centred windows as a forward convolution: dy's OC
     * channels in, C channels out, the same window; null for other geometries.
     */
    private static Conv2dGeometry dataGradGeometry(Conv2dGeometry g, int oc) {
        if (!dataGradFits(g)) {
            return null;
        }
        return new Conv2dGeometry(oc, g.height(), g.width(), g.kernelH(), g.kernelW(), 1, 1, g.padH(), g.padW(), 1, 1);
    }

    private static boolean dataGradFits(Conv2dGeometry g) {
        return g.strideH() == 1 && g.strideW() == 1 && PaddedGrid.fits(g);
    }

    /**
     * Whether {@link #dataGradOnGrid} applies and is taken: whenever its product is at least as deep as it has
     * rows (OC*KH*KW >= C). Unlike {@link #gridPays} the rule must not depend on the vector width: the grid's
     * sums run in another order than the cols path's, so a per-width choice would give per-width bits.
     */
    public boolean dataGradOnGridPays(Conv2dGeometry g, int oc) {
        return dataGradFits(g) && (long) oc * g.kernelH() * g.kernelW() >= g.channels();
    }

    /**
     * dx (images, C, H, W) at dxOffset += the data gradient of a stride-1 convolution with centred windows,
     * computed as the convolution of dy (images, OC, H, W) with the transposed, flipped weight
     * {@code W'[c][o][p][q] = W[o][c][KH-1-p][KW-1-q]} on a {@link PaddedGrid} (the window is symmetric about
     * its centre, so the padding is the same): no cols matrix and no col2im. Each element is one chain over
     * (o, p, q), not col2im's sum of per-tap chains: equal to the explicit path to rounding.
     */
    public void dataGradOnGrid(Conv2dGeometry g, int images, int oc, float[] w, int wOffset, float[] dy, int dyOffset,
                               float[] dx, int dxOffset) {
        dataGradOnGrid(g, images, oc, w, wOffset, dy, dyOffset, dx, dxOffset, true);
    }

    /**
     * {@link #dataGradOnGrid} that overwrites dx's images with what accumulating into zeros gives when not
     * accumulate (a gradient's first contribution: dx is neither zeroed nor read).
     */
    public void dataGradOnGrid(Conv2dGeometry g, int images, int oc, float[] w, int wOffset, float[] dy, int dyOffset,
                               float[] dx, int dxOffset, boolean accumulate) {
        Conv2dGeometry t = dataGradGeometry(g, oc);
        if (t == null) {
            throw new IllegalArgumentException("data gradient on a grid needs stride 1, no dilation, an odd kernel "
                    + "and padding (K-1)/2, got " + g);
        }
        int c = g.channels();
        int taps = g.kernelH() * g.kernelW();
        int hw = g.height() * g.width();
        range("w", w, wOffset, (long) oc * c * taps);
        range("dy", dy, dyOffset, (long) images * oc * hw);
        range("dx", dx, dxOffset, (long) images * c * hw);
        GridSpace space = gridSpace.get();
        float[] flipped = space.flipped = GridSpace.atLeast(space.flipped, (long) c * oc * taps);
        for (int o = 0; o < oc; o++) {
            for (int ci = 0; ci < c; ci++) {
                int src = wOffset + (o * c + ci) * taps;
                int dst = (ci * oc + o) * taps + taps - 1;
                for (int tap = 0; tap < taps; tap++) {
                    flipped[dst - tap] = w[src + tap];
                }
            }
        }
        forwardGridGroups(t, images, c, flipped, 0, dy, dyOffset, dx, dxOffset,
                accumulate ? PaddedGrid.Gather.ADD : PaddedGrid.Gather.ADD_TO_ZERO);
    }

    /**
     * Whether {@link #weightGrad} runs on a padded grid ({@link GridWeightGrad}). As for the data gradient, the
     * rule must not depend on the vector width (the grid's sums run in another order than the blocked GEMM's).
     */
    public boolean weightGradOnGridPays(Conv2dGeometry g, int oc) {
        return PaddedGrid.fits(g);
    }

    /**
     * dw = beta*dw + dy^T * im2col(x)^T by {@link GridWeightGrad}: in groups of images, the images onto a grid
     * and dy onto the grid's output positions, every row of im2col read in place from the grid; threads take
     * whole quadruples of rows of the (shared) accumulator.
     */
    private void weightGradOnGrid(Conv2dGeometry g, int images, int oc, float[] dy, int dyOffset, float[] x,
                                  int xOffset, float beta, float[] dw, int dwOffset) {
        GridSpace space = gridSpace.get();
        int group = GridWeightGrad.groupImages(space.single(g), oc, images);
        int k = g.colRows();
        int ocp = GridWeightGrad.paddedChannels(oc);
        int quads = (k + 3) / 4;
        int bits = wide.kernel().vectorBits();
        float[] acc = space.weightSums = GridSpace.atLeast(space.weightSums, (long) k * ocp);
        java.util.Arrays.fill(acc, 0, k * ocp, 0f);
        int dyImage = oc * g.colCols();
        for (int i = 0; i < images; i += group) {
            int nb = Math.min(group, images - i);
            PaddedGrid grid = space.layout(g, nb);
            float[] gridData = space.grid = GridSpace.atLeast(space.grid, grid.size());
            float[] dyT = space.product = GridSpace.atLeast(space.product, (long) grid.columns * ocp);
            grid.fill(bits, x, xOffset + i * g.inputSize(), g.inputSize(), g.height() * g.width(), gridData);
            GridWeightGrad.scatter(bits, grid, oc, dy, dyOffset + i * dyImage, dyT, space.lanes);
            int[] rowAt = space.rowOffsets(grid, k);
            int columns = grid.columns;
            long macs = (long) k * ocp * columns;
            int parts = macs < PARALLEL_MIN_MACS || pool.insidePart() ? 1 : Math.min(pool.threads(), quads);
            if (parts == 1) {
                GridWeightGrad.accumulate(bits, k, oc, columns, gridData, rowAt, dyT, acc, 0, quads);
            } else {
                pool.run(parts, t -> GridWeightGrad.accumulate(bits, k, oc, columns, gridData, rowAt, dyT, acc,
                        quads * t / parts, quads * (t + 1) / parts));
            }
        }
        GridWeightGrad.store(k, oc, acc, beta, dw, dwOffset);
    }

    /**
     * Rejects offsets and sizes outside the arrays before any work: a weight-like array of wLen floats, an
     * image batch (x, or cols whose size the caller checks) and an output batch (images, OC, OH*OW).
     */
    private static void check(Conv2dGeometry g, int images, int oc, String wName, float[] w, int wOffset, long wLen,
                              String xName, float[] x, int xOffset, String yName, float[] y, int yOffset) {
        if (images < 0 || oc < 1) {
            throw new IllegalArgumentException("convolution GEMM needs images >= 0 and OC >= 1, got " + images + ", " + oc);
        }
        range(wName, w, wOffset, wLen);
        range(xName, x, xOffset, xName.equals("cols") ? 0 : (long) images * g.inputSize());
        range(yName, y, yOffset, (long) images * oc * g.colCols());
    }

    private static void range(String name, float[] a, int offset, long len) {
        if (offset < 0 || offset > a.length - len) {
            throw new IllegalArgumentException(name + ": " + len + " floats at offset " + offset
                    + " exceed the array of " + a.length);
        }
    }

    // ---- operands ----

    /** A stored row-major matrix (transposed: op(M)(i, p) = data[offset + p*ld + i]). */
    private record Dense(float[] data, int offset, int ld, boolean transposed) {
    }

    /** A virtual matrix S; transposed: op(M)(i, p) = S(p, i). */
    private record Virtual(RowSource rows, boolean transposed) {
    }

    /** B on a padded grid: row (c, tap) is {@code data[c*channelLength + shifts[tap] + j]}. */
    private record Shifted(float[] data, PaddedGrid grid) {
    }

    private static void packA(Object a, int mr, int row0, int mc, int p0, int kc, float[] dst, float[] row) {
        switch (a) {
            case Dense d -> PackA.pack(d.transposed(), mr, d.data(), d.offset(), d.ld(), row0, mc, p0, kc, dst);
            // all rows in one block (packWeights makes none otherwise), the k-blocks of stripe's blocking
            case PackedWeights w when row0 == 0 && mc == w.m -> w.copyBlock(p0, kc, dst);
            case Virtual v when !v.transposed() -> {
                int panels = (mc + mr - 1) / mr;
                for (int t = 0; t < panels; t++) {
                    int rows = Math.min(mr, mc - t * mr);
                    int base = t * mr * kc;
                    for (int i = 0; i < rows; i++) {
                        v.rows().row(row0 + t * mr + i, p0, kc, row, 0);
                        for (int p = 0; p < kc; p++) {
                            dst[base + p * mr + i] = row[p];
                        }
                    }
                    for (int i = rows; i < mr; i++) {
                        for (int p = 0; p < kc; p++) {
                            dst[base + p * mr + i] = 0f;
                        }
                    }
                }
            }
            default -> throw new IllegalStateException("no packing of A for " + a);
        }
    }

    private static void packB(Object b, MicroKernel kernel, int p0, int kc, int col0, int nc, float[] dst,
                              Space space) {
        float[] row = space.row;
        int nr = kernel.nr();
        int fullPanels = nc / nr;
        int tail = nc - fullPanels * nr;
        int panelSize = kc * nr;
        switch (b) {
            case Dense d -> PackB.pack(kernel, d.transposed(), d.data(), d.offset(), d.ld(), p0, kc, col0, nc, dst);
            case Virtual v when !v.transposed() -> {
                // row p of op(B): built in L1, then scattered over the panels like PackB's rows
                for (int p = 0; p < kc; p++) {
                    v.rows().row(p0 + p, col0, nc, row, 0);
                    kernel.packRow(fullPanels, row, 0, dst, p * nr, panelSize);
                    if (tail > 0) {
                        int at = fullPanels * panelSize + p * nr;
                        System.arraycopy(row, fullPanels * nr, dst, at, tail);
                        for (int j = tail; j < nr; j++) {
                            dst[at + j] = 0f;
                        }
                    }
                }
            }
            case Shifted s -> {
                // row p of B is a contiguous run of the grid: packed with vector moves, no copy in between
                PaddedGrid grid = s.grid();
                for (int p = 0; p < kc; p++) {
                    int src = grid.rowStart(p0 + p) + col0;
                    kernel.packRow(fullPanels, s.data(), src, dst, p * nr, panelSize);
                    if (tail > 0) {
                        int at = fullPanels * panelSize + p * nr;
                        System.arraycopy(s.data(), src + fullPanels * nr, dst, at, tail);
                        for (int j = tail; j < nr; j++) {
                            dst[at + j] = 0f;
                        }
                    }
                }
            }
            // column j of op(B) is a row segment of S: NR of them transposed into a panel at a time
            case Virtual v -> TransposedPanels.pack(v.rows(), kernel, p0, kc, col0, nc, dst, space.rows, space.index);
            default -> throw new IllegalStateException("no packing of B for " + b);
        }
    }

    /** Multiplies the packed blocks into C (a {@link Dense} or a {@link BlockedRows}). */
    private static void multiply(Object c, GemmWorkspace ws, int mc, int nc, int kc, float beta, int row0, int col0) {
        switch (c) {
            case Dense d -> MacroKernel.multiply(ws, mc, nc, kc, 1f, beta, d.data(), d.offset(), d.ld(), row0, col0);
            case BlockedRows y -> multiplyBlocked(ws, mc, nc, kc, beta, y, row0, col0);
            default -> throw new IllegalStateException("no store into " + c);
        }
    }

    /**
     * {@link MacroKernel#multiply} into a blocked C: a full tile inside one block is stored by the micro-kernel
     * with the block's leading dimension; a tile that straddles blocks (or an edge tile) goes through the
     * scratch tile with the micro-kernel's formulas, so the values do not depend on the path.
     */
    private static void multiplyBlocked(GemmWorkspace ws, int mc, int nc, int kc, float beta, BlockedRows y,
                                        int row0, int col0) {
        MicroKernel kernel = ws.config.kernel();
        int mr = kernel.mr();
        int nr = kernel.nr();
        float[] pa = ws.packA;
        float[] pb = ws.packB;
        float[] c = y.data();
        int block = y.block();
        for (int jr = 0; jr < nc; jr += nr) {
            int cols = Math.min(nr, nc - jr);
            int bPanel = (jr / nr) * kc * nr;
            int col = col0 + jr;
            int blk = col / block;
            int e = col - blk * block;
            for (int ir = 0; ir < mc; ir += mr) {
                int rows = Math.min(mr, mc - ir);
                int aPanel = ir * kc;
                if (rows == mr && cols == nr && e + nr <= block) {
                    int cAt = y.offset() + blk * y.blockStride() + (row0 + ir) * y.ld() + e;
                    kernel.multiply(kc, pa, aPanel, pb, bPanel, 1f, beta, c, cAt, y.ld());
                } else {
                    kernel.multiply(kc, pa, aPanel, pb, bPanel, 1f, 0f, ws.tile, 0, nr);
                    // the tile's columns in runs that lie inside one block each
                    for (int j = 0; j < cols; ) {
                        int bj = (col + j) / block;
                        int ej = col + j - bj * block;
                        int run = Math.min(cols - j, block - ej);
                        for (int i = 0; i < rows; i++) {
                            int at = y.offset() + bj * y.blockStride() + (row0 + ir + i) * y.ld() + ej;
                            int t = i * nr + j;
                            for (int u = 0; u < run; u++) {
                                float acc = ws.tile[t + u];
                                c[at + u] = beta == 0f ? acc : Math.fma(acc, 1f, beta * c[at + u]);
                            }
                        }
                        j += run;
                    }
                }
            }
        }
    }

    // ---- the loops of Gemm ----

    private void run(int m, int n, int k, Object a, Object b, float beta, Object c) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            throw new IllegalArgumentException("convolution GEMM with K = 0");
        }
        ThreadLocal<Space> spaces = spacesFor(m);
        int nr = wide.nr();
        int colTiles = (n + nr - 1) / nr;
        long macs = (long) m * n * k;
        int parts = macs < PARALLEL_MIN_MACS || pool.insidePart() ? 1 : Math.min(pool.threads(), colTiles);
        if (parts == 1) {
            stripe(spaces.get(), m, 0, n, k, a, b, beta, c);
            return;
        }
        pool.run(parts, t -> {
            int from = Math.min(n, (int) ((long) colTiles * t / parts) * nr);
            int to = Math.min(n, (int) ((long) colTiles * (t + 1) / parts) * nr);
            if (from < to) {
                stripe(spaces.get(), m, from, to, k, a, b, beta, c);
            }
        });
    }

    /** The configuration {@link Gemm} picks for M rows (same panels, same bits). */
    private GemmConfig configFor(int m) {
        boolean useNarrow = wide != narrow && Gemm.prefersNarrow(m, wide, narrow);
        boolean useSmall = small != narrow && m <= small.mr() && small.mr() < Math.min(wide.mr(), narrow.mr());
        return useSmall ? small : useNarrow ? narrow : wide;
    }

    private ThreadLocal<Space> spacesFor(int m) {
        GemmConfig cfg = configFor(m);
        return cfg == small ? smallSpace : cfg == narrow ? narrowSpace : wideSpace;
    }

    /** All rows x columns [n0, n1) of C on the calling thread: {@link Gemm}'s stripe with these operands. */
    private static void stripe(Space space, int m, int n0, int n1, int k, Object a, Object b, float beta, Object c) {
        GemmWorkspace ws = space.ws;
        GemmConfig cfg = ws.config;
        int mr = cfg.mr();
        int kcStep = cfg.kcStep(k);
        if (m <= cfg.mc()) {
            for (int pc = 0; pc < k; pc += kcStep) {
                int kc = Math.min(kcStep, k - pc);
                float betaHere = pc == 0 ? beta : 1f;
                packA(a, mr, 0, m, pc, kc, ws.packA, space.row);
                // implicit im2col builds a row segment per call, with a fixed cost per call (index arithmetic,
                // divisions): NC-wide blocks instead of the small-M NC make the calls 8x fewer (3-8% of a
                // training step on resnet20 and fashionnet, docs/benchmarks.md); the values do not change
                int ncStep = b instanceof Virtual v && !v.transposed() ? cfg.nc() : cfg.ncSmallM();
                for (int jc = n0; jc < n1; jc += ncStep) {
                    int nc = Math.min(ncStep, n1 - jc);
                    packB(b, cfg.kernel(), pc, kc, jc, nc, ws.packB, space);
                    multiply(c, ws, m, nc, kc, betaHere, 0, jc);
                }
            }
            return;
        }
        for (int jc = n0; jc < n1; jc += cfg.nc()) {
            int nc = Math.min(cfg.nc(), n1 - jc);
            for (int pc = 0; pc < k; pc += kcStep) {
                int kc = Math.min(kcStep, k - pc);
                float betaHere = pc == 0 ? beta : 1f;
                packB(b, cfg.kernel(), pc, kc, jc, nc, ws.packB, space);
                for (int ic = 0; ic < m; ic += cfg.mc()) {
                    int mc = Math.min(cfg.mc(), m - ic);
                    packA(a, mr, ic, mc, pc, kc, ws.packA, space.row);
                    multiply(c, ws, mc, nc, kc, betaHere, ic, jc);
                }
            }
        }
    }
}
