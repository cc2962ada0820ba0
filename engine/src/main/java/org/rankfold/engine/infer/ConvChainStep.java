package org.rankfold.engine.infer;

import java.util.ArrayList;
import java.util.List;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;

import org.rankfold.engine.ops.BatchChunks;
import org.rankfold.engine.ops.ConvSpec;
import org.rankfold.kernels.Backend;
import org.rankfold.kernels.Backends;
import org.rankfold.kernels.Conv2dGeometry;
import org.rankfold.kernels.GemmEpilogue;
import org.rankfold.kernels.PackedConvWeights;
import org.rankfold.kernels.Transpose;

/**
 * One or more convolutions with nothing between them (a dense convolution, a linear layer, or the
 * Tucker-2 chain 1x1 -> KxK -> 1x1 of a factorized convolution), then the output stage (bias, residual,
 * ReLU, applied by the GEMM as it stores) and optionally a pooling window.
 *
 * <p>The batch is cut into units of work whose working set (im2col columns, the intermediate activations
 * of a chain, the pre-pool output) stays within a budget (default {@link #TILE_FLOATS}); for each unit
 * every stage runs in turn, so a chain's rank-sized intermediates are produced and consumed while in
 * cache instead of streaming through memory, and a fused pool reads the convolution's output from cache.
 * A unit is a group of whole images when one image fits the budget, else a tile of output rows of one
 * image: {@link RowBands} gives the rows every stage then computes, a KxK stage's input band carrying the
 * halo rows its window needs (recomputed by the stages before it in both neighbouring tiles). The cut
 * depends only on the shapes, the batch and the budget, and a GEMM element's value does not depend on how
 * many columns a call has nor where they start, so results are bit-identical for any cut and any thread
 * count. Threads take whole units; a batch of fewer images than threads (batch 1) is cut into row tiles
 * so that every thread has one ({@link #threadTiles}), and a step too small to share runs on one thread.
 *
 * <p>In the channel-major layout a unit is, in every channel row, a contiguous run of columns (whole
 * images are consecutive planes; a row tile is consecutive rows of one plane): a 1x1 convolution reads it
 * in place as the GEMM's B (leading dimension B*H*W), and im2col runs per channel over the unit's rows.
 */
final class ConvChainStep implements Step {
    /**
     * Default working-set budget of one tile, in floats (1 MiB, a core's L2 on the machines measured). 512 KiB
     * cut fashionnet's 28x28 convolutions into row tiles of 5 rows whose GEMMs were too narrow (12% slower at
     * batch 128); 2 MiB spilled resnet20's units out of L2 (3-8% slower); docs/benchmarks.md.
     */
    static final int TILE_FLOATS = 1 << 18;

    private final String name;
    private final int input;
    private final int output;
    private final Shape inShape;
    private final List<ConvStage> stages = new ArrayList<>();
    private final List<Shape> stageShapes = new ArrayList<>();
    private boolean relu;
    private int residual = -1;
    private PoolWindow pool;
    private final int tileFloats;
    /** Computed on the first run, once the stages are final (compilation still appends and folds). */
    private RowBands wholeImage;
    private RowBands[] rowTiles;
    /**
     * Per stage, the weight as the GEMM reads it: a linear layer's (an activation of one pixel) stored
     * transposed, (C, OC), so that at a batch of a few images the GEMM reads its rows in place instead of
     * packing the whole weight on every call (what a linear layer at batch 1 spent most of its time on);
     * null for the others, which read {@link ConvStage#weight()}. Computed on the first run.
     */
    private float[][] transposedWeights;
    /** Floats after a transposed weight (one 512-bit vector), see {@link #transposedWeights(Backend)}. */
    static final int TRANSPOSED_SPARE_FLOATS = 16;
    /**
     * Per stage, its weight in the form the GEMM of the backend that last ran this step reads it (null entries
     * where it has none): packed once instead of on every call, one per unit of a few images. Made on the
     * first run with each backend, on the calling thread, before the units are split over threads.
     */
    private volatile PackedStages packedWeights;
    /** The last {@link #threadTiles} computed. */
    private RowBands[] threadTiles;
    /**
     * Below this many multiply-adds per image a step is not cut into tiles for the threads. At batch 1 on two
     * threads a fork, a join and the tiles' halo rows and im2col cost more than half of a small step: resnet20
     * 8x's steps (0.1-0.45 M) ran 15-24% faster kept whole, while fashionnet 3x's Tucker-2 chains (0.7-1.5 M)
     * ran 19% slower whole, so the bound lies between; 65,536 before (docs/benchmarks.md, 2026-12-04).
     */
    static final long SHARED_MIN_MACS = 1L << 19;

    ConvChainStep(String name, int input, int output, Shape inShape, int tileFloats) {
        this.name = name;
        this.tileFloats = tileFloats;
        this.input = input;
        this.output = output;
        this.inShape = inShape;
    }

    /** Appends a stage; its input is the previous stage's output (or the step's input). */
    void addStage(ConvStage stage) {
        Shape in = stageShapes.isEmpty() ? inShape : stageShapes.getLast();
        if (stage.inChannels() != in.channels()) {
            throw new IllegalArgumentException(name + ": a convolution of " + stage.inChannels()
                    + " input channels cannot follow an activation of shape " + in);
        }
        var g = stage.planeGeometry(in.height(), in.width());
        stages.add(stage);
        stageShapes.add(new Shape(stage.outChannels(), g.outHeight(), g.outWidth()));
    }

    /** The output shape, after the pool if one is fused. */
    Shape outShape() {
        Shape conv = stageShapes.getLast();
        return pool == null ? conv : pool.output(conv);
    }

    /** Whether a batch norm can still fold into the last stage (nothing applied after the product yet). */
    boolean acceptsScale() {
        return !relu && residual < 0 && pool == null;
    }

    /** Folds an affine per-channel map into the last stage's rows. */
    void scaleLast(double[] scale, double[] shift) {
        stages.set(stages.size() - 1, stages.getLast().scaled(scale, shift));
    }

    boolean acceptsRelu() {
        return !relu && pool == null;
    }

    void setRelu() {
        relu = true;
    }

    boolean acceptsResidual() {
        return !relu && residual < 0 && pool == null;
    }

    void setResidual(int value) {
        residual = value;
    }

    boolean acceptsPool() {
        return pool == null;
    }

    void setPool(PoolWindow window) {
        pool = window;
    }

    @Override
    public int[] inputs() {
        return residual < 0 ? new int[] {input} : new int[] {input, residual};
    }

    @Override
    public int output() {
        return output;
    }

    @Override
    public long macsPerImage() {
        long macs = 0;
        for (int i = 0; i < stages.size(); i++) {
            macs += (long) stages.get(i).outChannels() * stages.get(i).depth() * stageShapes.get(i).plane();
        }
        return macs;
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder(stages.size() > 1 ? "tucker " : stages.getFirst().spec().isPointwise()
                && inShape.plane() == 1 ? "linear " : "conv ");
        for (int i = 0; i < stages.size(); i++) {
            ConvStage s = stages.get(i);
            sb.append(i == 0 ? "" : ", ").append(s.spec().kernelH()).append('x').append(s.spec().kernelW())
                    .append(' ').append(s.inChannels()).append("->").append(s.outChannels());
            if (s.spec().strideH() != 1) {
                sb.append("/").append(s.spec().strideH());
            }
        }
        if (stages.getLast().bias() != null) {
            sb.append(" +bias");
        }
        if (residual >= 0) {
            sb.append(" +residual");
        }
        if (relu) {
            sb.append(" +relu");
        }
        if (pool != null) {
            sb.append(" +").append(pool.describe());
        }
        return sb.append(" @ ").append(name).toString();
    }

    /** A stage's window rows and columns, for {@link RowBands}. */
    private List<ConvSpec> specs() {
        List<ConvSpec> specs = new ArrayList<>(stages.size());
        for (ConvStage s : stages) {
            specs.add(s.spec());
        }
        return specs;
    }

    private int[] outHeights() {
        int[] h = new int[stages.size()];
        for (int i = 0; i < h.length; i++) {
            h[i] = stageShapes.get(i).height();
        }
        return h;
    }

    /** Every stage's full planes (the unit when whole images are). */
    RowBands wholeImage() {
        RowBands whole = wholeImage;
        if (whole == null) {
            whole = RowBands.whole(specs(), inShape.height(), outHeights(), outShape().height());
            wholeImage = whole;
        }
        return whole;
    }

    /** The bands of the step's output rows [t0, t1) of one image. */
    RowBands bands(int t0, int t1) {
        return RowBands.of(specs(), inShape.height(), outHeights(), pool == null ? null : pool.spec(), t0, t1);
    }

    /**
     * Floats one image's tile touches in the scratch arrays: each KxK stage's im2col columns, every stage
     * output the step does not write straight into its output buffer (zero pad rows included), and a
     * zero-padded copy of the step's input when the first stage needs one.
     */
    long workingSet(RowBands b) {
        long floats = 0;
        for (int i = 0; i < stages.size(); i++) {
            ConvStage s = stages.get(i);
            Shape out = stageShapes.get(i);
            int rows = b.outRows(i);
            if (!s.spec().isPointwise()) {
                floats += (long) s.depth() * rows * out.width();
            }
            if (i == 0 && b.needsPaddedInput(0)) {
                floats += (long) inShape.channels() * (b.inHi() - b.inLo() + b.padTop(0) + b.padBottom(0))
                        * inShape.width();
            }
            if (i < stages.size() - 1 || pool != null) {
                int pads = i < stages.size() - 1 && b.needsPaddedInput(i + 1) ? b.padTop(i + 1) + b.padBottom(i + 1) : 0;
                floats += (long) out.channels() * (rows + pads) * out.width();
            }
        }
        return floats;
    }

    /**
     * The row tiles of one image, or null when whole images are the unit (one image's working set fits
     * the budget, the output has one row, or a padded pool needs whole planes). Tiles are as few as keep
     * every tile's working set within the budget, and of equal height except the last.
     */
    RowBands[] rowTiles() {
        RowBands[] tiles = rowTiles;
        if (tiles == null) {
            tiles = chooseRowTiles();
            rowTiles = tiles;
        }
        return tiles.length == 0 ? null : tiles;
    }

    private RowBands[] chooseRowTiles() {
        int rows = outShape().height();
        if (rows == 1 || (pool != null && pool.spec().padH() > 0) || workingSet(wholeImage()) <= tileFloats) {
            return new RowBands[0];
        }
        RowBands[] best = null;
        for (int count = 2; count <= rows && best == null; count++) {
            int per = (rows + count - 1) / count;
            int n = (rows + per - 1) / per;
            RowBands[] tiles = new RowBands[n];
            boolean fits = true;
            for (int t = 0; t < n; t++) {
                tiles[t] = bands(t * per, Math.min(rows, (t + 1) * per));
                fits &= workingSet(tiles[t]) <= tileFloats;
            }
            if (fits || per == 1) {
                best = tiles;
            }
        }
        return best;
    }

    /** The row tiles a batch runs in at this many threads, or null when whole images are the unit. */
    private RowBands[] tilesFor(int batch, int threads) {
        RowBands[] tiles = rowTiles();
        return tiles == null && batch < threads ? threadTiles((threads + batch - 1) / batch) : tiles;
    }

    /**
     * Row tiles that give every thread a unit when the batch has fewer images than threads (batch 1): the
     * threads then run whole tiles of the chain, each GEMM, im2col and pool on one thread, instead of
     * splitting every small GEMM between them (a fork and a join per GEMM cost more than a chain's halo
     * rows). Null when the step is too small to share (the fork would cost more than the work), has too
     * few output rows, or pools with padding (which needs whole planes).
     */
    RowBands[] threadTiles(int count) {
        RowBands[] tiles = threadTiles;
        if (tiles != null && tiles.length == count) {
            return tiles;
        }
        int rows = outShape().height();
        if (count < 2 || rows < count || macsPerImage() < SHARED_MIN_MACS
                || (pool != null && pool.spec().padH() > 0)) {
            return null;
        }
        int per = (rows + count - 1) / count;
        int n = (rows + per - 1) / per;
        tiles = new RowBands[n];
        for (int t = 0; t < n; t++) {
            tiles[t] = bands(t * per, Math.min(rows, (t + 1) * per));
        }
        threadTiles = tiles;
        return tiles;
    }

    /**
     * Chunks of a batch when whole images are the unit: as few as keep each within the budget, evenly
     * filled; at several threads a multiple of {@link BatchChunks#BALANCE} when more than one, so the
     * threads get equal shares ({@link BatchChunks}). Each image's values do not depend on its chunk.
     */
    int chunkCount(int batch, int threads) {
        long perImage = workingSet(wholeImage());
        return threads > 1 ? BatchChunks.count(batch, perImage, tileFloats)
                : BatchChunks.fewest(batch, perImage, tileFloats);
    }

    /** How a batch is cut, for per-layer timings: "3 images per tile" or "4 row tiles of 7 rows per image"
     *  (output rows of the step, after its pool). */
    @Override
    public String tiling(int batch, int threads) {
        RowBands[] tiles = tilesFor(batch, threads);
        if (tiles == null) {
            int chunk = BatchChunks.largest(batch, chunkCount(batch, threads));
            return chunk == 1 ? "1 image per tile" : chunk + " images per tile";
        }
        return tiles.length + " row tiles of " + (tiles[0].tileHi() - tiles[0].tileLo()) + " rows per image";
    }

    @Override
    public List<String> parts() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            ConvStage s = stages.get(i);
            String window = s.spec().kernelH() + "x" + s.spec().kernelW();
            // whole images of a convolution the backend reads in place need no im2col (on the CPU: a GEMM on a
            // padded grid, whose copy it includes); row tiles (batch 1 on several threads, large images) do
            Shape in = i == 0 ? inShape : stageShapes.get(i - 1);
            boolean grid = !s.spec().isPointwise() && Backends.current().convChannelMajorInPlace(
                    s.spec().geometry(s.inChannels(), in.height(), in.width()), s.outChannels());
            if (!s.spec().isPointwise()) {
                names.add("im2col " + window + (s.spec().strideH() == 1 ? "" : "/" + s.spec().strideH())
                        + (grid ? " (row tiles only)" : ""));
            }
            names.add("gemm " + window + " " + s.inChannels() + "->" + s.outChannels()
                    + (grid ? " without im2col" : "")
                    + (i == stages.size() - 1 ? " +output stage" : ""));
        }
        if (pool != null) {
            names.add(pool.describe());
        }
        return names;
    }

    @Override
    public long[] partMacsPerImage() {
        long[] macs = new long[parts().size()];
        int part = 0;
        for (int i = 0; i < stages.size(); i++) {
            ConvStage s = stages.get(i);
            if (!s.spec().isPointwise()) {
                part++;
            }
            macs[part++] = (long) s.outChannels() * s.depth() * stageShapes.get(i).plane();
        }
        return macs;
    }

    /** The transposed weights of the linear stages (see {@link #transposedWeights}), transposed by be. */
    private float[][] transposedWeights(Backend be) {
        float[][] t = transposedWeights;
        if (t == null) {
            t = new float[stages.size()][];
            for (int i = 0; i < stages.size(); i++) {
                ConvStage st = stages.get(i);
                Shape in = i == 0 ? inShape : stageShapes.get(i - 1);
                if (st.spec().isPointwise() && in.plane() == 1) {
                    // a vector of spare floats after the weight: the GEMM then reads a partial last panel of rows
                    // in place instead of packing it on every call (a classifier of 44 outputs ran 4x slower)
                    t[i] = new float[st.weight().length + TRANSPOSED_SPARE_FLOATS];
                    be.transposeBlocks(st.outChannels(), st.inChannels(), 1, st.weight(), 0, t[i], 0);
                }
            }
            transposedWeights = t;
        }
        return t;
    }

    private record PackedStages(Backend backend, PackedConvWeights[] stages) {
    }

    /** The stages' weights packed by be (see {@link #packedWeights}). */
    private PackedConvWeights[] packedWeights(Backend be) {
        PackedStages p = packedWeights;
        if (p == null || p.backend() != be) {
            PackedConvWeights[] w = new PackedConvWeights[stages.size()];
            for (int i = 0; i < stages.size(); i++) {
                ConvStage st = stages.get(i);
                if (!st.spec().isPointwise()) {
                    w[i] = be.packConvWeights(st.outChannels(), st.depth(), st.weight(), 0);
                }
            }
            p = new PackedStages(be, w);
            packedWeights = p;
        }
        return p.stages();
    }

    @Override
    public void prepare(Backend be) {
        wholeImage();
        rowTiles();
        transposedWeights(be);
        packedWeights(be);
    }

    @Override
    public void run(PlanRun run) {
        int batch = run.batch();
        Backend be = run.backend();
        transposedWeights(be);
        PackedConvWeights[] packed = packedWeights(be);
        float[] x = run.buffer(input);
        float[] y = run.buffer(output);
        float[] res = residual < 0 ? null : run.buffer(residual);
        AtomicLongArray clock = run.parts(this);
        RowBands[] tiles = tilesFor(batch, run.threads());
        if (tiles == null) {
            int chunks = chunkCount(batch, run.threads());
            RowBands whole = wholeImage();
            be.forEachRange(chunks, (c0, c1) -> {
                for (int ci = c0; ci < c1; ci++) {
                    runTile(be, batch, BatchChunks.start(batch, chunks, ci), BatchChunks.size(batch, chunks, ci),
                            whole, packed, x, y, res, clock);
                }
            });
            return;
        }
        // units are (image, row tile), image-major: a thread's range covers neighbouring tiles
        be.forEachRange(batch * tiles.length, (u0, u1) -> {
            for (int u = u0; u < u1; u++) {
                runTile(be, batch, u / tiles.length, 1, tiles[u % tiles.length], packed, x, y, res, clock);
            }
        });
    }

    /**
     * Images [b0, b0+nb) through every stage, the output stage and the pool, for the rows of {@code b}
     * (the whole image when nb > 1). Each stage's output goes to a scratch array laid out (C, nb, rows, W),
     * with zero pad rows around it when the next stage's band has uneven padding, or, for the last stage
     * without a pool, straight into the step's output.
     */
    private void runTile(Backend be, int batch, int b0, int nb, RowBands b, PackedConvWeights[] packed, float[] x,
                         float[] y, float[] res, AtomicLongArray clock) {
        Scratch scratch = Scratch.get();
        int part = 0;
        long t = clock == null ? 0 : System.nanoTime();
        float[] in = x;
        int inOff = b0 * inShape.plane() + b.inLo() * inShape.width();
        int ldIn = batch * inShape.plane();
        int inRows = b.inHi() - b.inLo();
        boolean inPadded = false;
        if (b.needsPaddedInput(0)) {
            int w = inShape.width();
            int rows = inRows + b.padTop(0) + b.padBottom(0);
            float[] padded = scratch.floats(Scratch.STAGE_B, inShape.channels() * rows * w);
            for (int c = 0; c < inShape.channels(); c++) {
                int at = c * rows * w;
                Arrays.fill(padded, at, at + b.padTop(0) * w, 0f);
                System.arraycopy(x, inOff + c * ldIn, padded, at + b.padTop(0) * w, inRows * w);
                Arrays.fill(padded, at + (b.padTop(0) + inRows) * w, at + rows * w, 0f);
            }
            in = padded;
            inOff = 0;
            ldIn = rows * w;
            inRows = rows;
            inPadded = true;
        }
        Shape cur = inShape;
        for (int i = 0; i < stages.size(); i++) {
            ConvStage st = stages.get(i);
            Shape out = stageShapes.get(i);
            int w = out.width();
            int rows = b.outRows(i);
            int cols = nb * rows * w;
            boolean last = i == stages.size() - 1;
            float[] dst;
            int dstOff;
            int ldDst;
            int padTop = 0;
            int stored = rows;
            if (last && pool == null) {
                dst = y;
                dstOff = b0 * out.plane() + b.outLo(i) * w;
                ldDst = batch * out.plane();
            } else {
                boolean padNext = !last && b.needsPaddedInput(i + 1);
                padTop = padNext ? b.padTop(i + 1) : 0;
                stored = rows + (padNext ? b.padTop(i + 1) + b.padBottom(i + 1) : 0);
                int slot = last ? Scratch.POOL : i % 2 == 0 ? Scratch.STAGE_A : Scratch.STAGE_B;
                ldDst = nb * stored * w;
                dst = scratch.floats(slot, out.channels() * ldDst);
                dstOff = padTop * w;
                if (stored != rows) {
                    for (int c = 0; c < out.channels(); c++) {
                        Arrays.fill(dst, c * ldDst, c * ldDst + padTop * w, 0f);
                        Arrays.fill(dst, c * ldDst + (padTop + rows) * w, (c + 1) * ldDst, 0f);
                    }
                }
            }
            GemmEpilogue ep = !last ? GemmEpilogue.bias(st.bias(), false)
                    : new GemmEpilogue(null, st.bias(), res, res == null ? 0 : b0 * out.plane() + b.outLo(i) * w,
                    batch * out.plane(), relu);
            float[] wt = transposedWeights[i];
            if (wt != null) {
                be.gemmEpilogue(Transpose.YES, Transpose.NO, st.outChannels(), cols, st.inChannels(),
                        wt, 0, st.outChannels(), in, inOff, ldIn, dst, dstOff, ldDst, ep);
            } else if (st.spec().isPointwise()) {
                be.gemmEpilogue(Transpose.NO, Transpose.NO, st.outChannels(), cols, st.inChannels(),
                        st.weight(), 0, st.inChannels(), in, inOff, ldIn, dst, dstOff, ldDst, ep);
            } else {
                int depth = st.depth();
                ConvSpec sp = st.spec();
                // a padded band carries its zero rows; otherwise the window pads evenly (the whole image,
                // or a band inside it)
                int padH = inPadded ? 0 : b.padTop(i);
                var g = new Conv2dGeometry(st.inChannels(), inRows, cur.width(), sp.kernelH(), sp.kernelW(),
                        sp.strideH(), sp.strideW(), padH, sp.padW(), sp.dilationH(), sp.dilationW());
                if (g.outHeight() != rows || g.outWidth() != w) {
                    throw new IllegalStateException(name + ": band of " + inRows + " rows gives " + g.outHeight()
                            + " output rows, expected " + rows);
                }
                if (inRows == cur.height() && be.convChannelMajorInPlace(g, st.outChannels())) {
                    // whole images the backend reads without a cols matrix (a padded grid on the CPU for
                    // size-keeping convolutions; im2col cost a third of such a step): same values
                    t = lap(clock, part++, t);
                    be.convChannelMajor(g, nb, st.outChannels(), st.weight(), 0, packed[i], in, inOff, ldIn, dst,
                            dstOff, ldDst, ep);
                } else {
                    float[] colsBuf = scratch.floats(Scratch.COLS, depth * cols);
                    be.im2colChannelMajor(g, nb, in, inOff, ldIn, colsBuf, 0);
                    t = lap(clock, part++, t);
                    be.gemmEpilogue(Transpose.NO, Transpose.NO, st.outChannels(), cols, depth,
                            st.weight(), 0, depth, colsBuf, 0, cols, dst, dstOff, ldDst, ep);
                }
            }
            t = lap(clock, part++, t);
            in = dst;
            inOff = dstOff - padTop * w;
            ldIn = ldDst;
            inRows = stored;
            inPadded = stored != rows;
            cur = out;
        }
        if (pool != null) {
            // the unit's (C, nb, rows, W) planes are consecutive: one pooling call for all of them into a
            // scratch array, then one copy per channel (per-channel calls cost more than the pooling itself)
            Shape pooled = pool.output(cur);
            int ldOut = batch * pooled.plane();
            int t0 = b.tileLo();
            int planeOut = pool.output(new Shape(1, inRows, cur.width())).plane();
            float[] out = scratch.floats(Scratch.POOLED, cur.channels() * nb * planeOut);
            pool.run(be, cur.channels() * nb, inRows, cur.width(), in, 0, out, 0);
            for (int c = 0; c < cur.channels(); c++) {
                System.arraycopy(out, c * nb * planeOut, y, c * ldOut + b0 * pooled.plane() + t0 * pooled.width(),
                        nb * planeOut);
            }
            lap(clock, part, t);
        }
    }

    /** Adds the time since t to part's clock (when timing) and returns the new start. */
    private static long lap(AtomicLongArray clock, int part, long t) {
        if (clock == null) {
            return 0;
        }
        long now = System.nanoTime();
        clock.addAndGet(part, now - t);
        return now;
    }
}
