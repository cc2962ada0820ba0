package org.rankfold.engine.infer;

import java.util.ArrayList;
import java.util.List;

import org.rankfold.kernels.Backend;
import org.rankfold.kernels.GemmEpilogue;
import org.rankfold.kernels.Transpose;

/**
 * One or more convolutions with nothing between them (a dense convolution, a linear layer, or the
 * Tucker-2 chain 1x1 -> KxK -> 1x1 of a factorized convolution), then the output stage (bias, residual,
 * ReLU, applied by the GEMM as it stores) and optionally a pooling window.
 *
 * <p>The batch is cut into chunks of images whose working set (im2col columns, the intermediate
 * activations of a chain, the pre-pool output) stays within {@link #CHUNK_FLOATS}; for each chunk every
 * stage runs in turn, so a chain's rank-sized intermediates are produced and consumed while in L2 instead
 * of streaming through memory, and a fused pool reads the convolution's output from cache. The chunk size
 * depends only on the shapes and the batch, and a GEMM element's value does not depend on how many
 * columns a call has, so results are the same for any thread count. Threads take whole chunks; a batch of
 * one chunk (batch 1) lets each GEMM use every thread instead.
 *
 * <p>In the channel-major layout a chunk of images is, in every channel row, a contiguous run of columns:
 * a 1x1 convolution reads it directly as the GEMM's B (leading dimension B*H*W), and im2col runs per
 * channel over the chunk's planes.
 */
final class ConvChainStep implements Step {
    /** Working-set budget of one chunk, in floats (512 KiB: a core's share of L2). */
    static final int CHUNK_FLOATS = 1 << 17;

    private final String name;
    private final int input;
    private final int output;
    private final Shape inShape;
    private final List<ConvStage> stages = new ArrayList<>();
    private final List<Shape> stageShapes = new ArrayList<>();
    private boolean relu;
    private int residual = -1;
    private PoolWindow pool;

    ConvChainStep(String name, int input, int output, Shape inShape) {
        this.name = name;
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

    /** Images per chunk: as many as fit {@link #CHUNK_FLOATS}, at least 1, at most the batch. */
    int chunkImages(int batch) {
        long perImage = 0;
        for (int i = 0; i < stages.size(); i++) {
            ConvStage s = stages.get(i);
            Shape out = stageShapes.get(i);
            if (!s.spec().isPointwise()) {
                perImage += (long) s.depth() * out.plane();
            }
            if (i < stages.size() - 1 || pool != null) {
                perImage += out.size();
            }
        }
        return (int) Math.max(1, Math.min(batch, CHUNK_FLOATS / Math.max(1, perImage)));
    }

    @Override
    public void run(PlanRun run) {
        int batch = run.batch();
        int chunk = chunkImages(batch);
        int chunks = (batch + chunk - 1) / chunk;
        Backend be = run.backend();
        float[] x = run.buffer(input);
        float[] y = run.buffer(output);
        float[] res = residual < 0 ? null : run.buffer(residual);
        be.forEachRange(chunks, (c0, c1) -> {
            for (int ci = c0; ci < c1; ci++) {
                int b0 = ci * chunk;
                runChunk(be, batch, b0, Math.min(chunk, batch - b0), x, y, res);
            }
        });
    }

    /** Images [b0, b0+nb) through every stage, the output stage and the pool. */
    private void runChunk(Backend be, int batch, int b0, int nb, float[] x, float[] y, float[] res) {
        Scratch scratch = Scratch.get();
        float[] in = x;
        int inOff = b0 * inShape.plane();
        int ldIn = batch * inShape.plane();
        Shape cur = inShape;
        for (int i = 0; i < stages.size(); i++) {
            ConvStage st = stages.get(i);
            Shape out = stageShapes.get(i);
            int cols = nb * out.plane();
            boolean last = i == stages.size() - 1;
            float[] dst;
            int dstOff;
            int ldDst;
            if (last && pool == null) {
                dst = y;
                dstOff = b0 * out.plane();
                ldDst = batch * out.plane();
            } else {
                int slot = last ? Scratch.POOL : i % 2 == 0 ? Scratch.STAGE_A : Scratch.STAGE_B;
                dst = scratch.floats(slot, out.channels() * cols);
                dstOff = 0;
                ldDst = cols;
            }
            GemmEpilogue ep = !last ? GemmEpilogue.bias(st.bias(), false)
                    : new GemmEpilogue(null, st.bias(), res, res == null ? 0 : b0 * out.plane(),
                    batch * out.plane(), relu);
            if (st.spec().isPointwise()) {
                be.gemmEpilogue(Transpose.NO, Transpose.NO, st.outChannels(), cols, st.inChannels(),
                        st.weight(), 0, st.inChannels(), in, inOff, ldIn, dst, dstOff, ldDst, ep);
            } else {
                int depth = st.depth();
                int kk = depth / st.inChannels();
                float[] colsBuf = scratch.floats(Scratch.COLS, depth * cols);
                var g = st.planeGeometry(cur.height(), cur.width());
                for (int c = 0; c < st.inChannels(); c++) {
                    be.im2colBatch(g, nb, in, inOff + c * ldIn, colsBuf, c * kk * cols);
                }
                be.gemmEpilogue(Transpose.NO, Transpose.NO, st.outChannels(), cols, depth,
                        st.weight(), 0, depth, colsBuf, 0, cols, dst, dstOff, ldDst, ep);
            }
            in = dst;
            inOff = dstOff;
            ldIn = ldDst;
            cur = out;
        }
        if (pool != null) {
            Shape pooled = pool.output(cur);
            int ldOut = batch * pooled.plane();
            for (int c = 0; c < cur.channels(); c++) {
                pool.run(be, nb, cur.height(), cur.width(), in, c * ldIn, y, c * ldOut + b0 * pooled.plane());
            }
        }
    }
}
