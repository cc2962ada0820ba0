package org.rankfold.engine.infer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import org.rankfold.engine.nn.Module;
import org.rankfold.engine.ops.BatchChunks;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.kernels.Backend;
import org.rankfold.kernels.Backends;

/**
 * A model compiled for inference on images of one shape: a flat list of steps (see the package comment)
 * over buffers assigned from the activations' lifetimes, so a deep network needs a few activation buffers,
 * not one per layer. Its logits equal the model's evaluation-mode forward pass up to float rounding (batch
 * norm is folded into the weights); they are bit-identical for every thread count.
 *
 * <p>The plan copies the weights at compile time: recompile after training. One plan runs one batch at a
 * time (its buffers are reused between runs); the backend is {@link Backends#current()} at each run.
 */
public final class InferencePlan {
    /**
     * The activation budget of a sub-batch in floats (2 MiB, a core's L2 here): a batch runs through
     * the plan in sub-batches whose activation buffers take at most this much, so a layer's output is still
     * in cache when the next layer reads it (at batch 128 resnet20's 28x28 activations take 6.4 MB each and
     * its compressed layers ran at the speed of the L3 cache); docs/benchmarks.md.
     */
    static final int SUB_BATCH_FLOATS = 1 << 19;
    /**
     * Fewest images per sub-batch when the budget would allow fewer (large images): a sub-batch of one or
     * two images pays each GEMM's fixed costs (packing the weight, a call per layer) for too little work
     * (1-image sub-batches of resnet20 ran 25% slower at one thread than the whole batch).
     */
    static final int MIN_SUB_BATCH = 8;

    private final Shape input;
    private final int classes;
    private final List<Step> steps;
    private final List<Shape> values;
    /** Buffer slot of each value (-1 for none), and each slot's floats per image. */
    private final int[] slotOf;
    private final int[] slotSize;
    /** Floats per image of all activation buffers together: what one image of a sub-batch keeps live. */
    private final long floatsPerImage;
    /** The activation budget of one sub-batch, in floats (see {@link #subBatches}). */
    private int subBatchFloats = defaultSubBatchFloats();
    /** Workspaces not in use: one per thread that runs sub-batches side by side, kept between runs. */
    private final ArrayDeque<Workspace> idle = new ArrayDeque<>();

    InferencePlan(Shape input, int classes, List<Step> steps, List<Shape> values) {
        this.input = input;
        this.classes = classes;
        this.steps = steps;
        this.values = values;
        this.slotOf = new int[values.size()];
        Arrays.fill(slotOf, -1);
        List<Integer> sizes = new ArrayList<>();
        assignSlots(sizes);
        this.slotSize = sizes.stream().mapToInt(Integer::intValue).toArray();
        this.floatsPerImage = Arrays.stream(slotSize).asLongStream().sum();
    }

    /**
     * Compiles {@code model} for images of {@code channels} x {@code height} x {@code width}, in evaluation
     * semantics whatever the model's mode. Throws {@link UnsupportedModuleException} for a module it cannot
     * lower, IllegalArgumentException when the shapes do not chain.
     */
    public static InferencePlan compile(Module model, int channels, int height, int width) {
        return PlanCompiler.compile(model, new Shape(channels, height, width), defaultTileFloats());
    }

    /**
     * The working-set budget of a convolution step's unit of work: {@link ConvChainStep#TILE_FLOATS}, or
     * the system property {@code rankfold.plan.tileKiB} (KiB, at least 1) for measuring other budgets.
     */
    static int defaultTileFloats() {
        int kib = kibProperty("rankfold.plan.tileKiB", 1);
        return kib < 0 ? ConvChainStep.TILE_FLOATS : kib * 256;
    }

    /**
     * The system property {@code name} as KiB between {@code least} and 2^20, or -1 when it is not set;
     * IllegalArgumentException naming the property otherwise.
     */
    private static int kibProperty(String name, int least) {
        String kib = System.getProperty(name);
        if (kib == null) {
            return -1;
        }
        try {
            int v = Integer.parseInt(kib.trim());
            if (v >= least && v <= 1 << 20) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("system property " + name + ": expected KiB between " + least + " and "
                + (1 << 20) + ", got '" + kib + "'");
    }

    /**
     * The activation budget of a sub-batch: {@link #SUB_BATCH_FLOATS}, or the system property {@code
     * rankfold.plan.subBatchKiB} (KiB; 0 runs every batch whole, as one sub-batch) for measuring others.
     */
    static int defaultSubBatchFloats() {
        int kib = kibProperty("rankfold.plan.subBatchKiB", 0);
        return kib < 0 ? SUB_BATCH_FLOATS : kib == 0 ? Integer.MAX_VALUE : kib * 256;
    }

    /** Sets the activation budget of a sub-batch in floats (Integer.MAX_VALUE: whole batches); for tests. */
    void subBatchFloats(int floats) {
        if (floats < 1) {
            throw new IllegalArgumentException("sub-batch budget must be >= 1 float, got " + floats);
        }
        subBatchFloats = floats;
    }

    /**
     * How many sub-batches a batch runs in: as many as keep each one's activations within the budget,
     * evenly filled, a multiple of four when more than one ({@link BatchChunks}); 1 when the whole batch fits.
     */
    public int subBatches(int batch) {
        long most = Math.max(MIN_SUB_BATCH, subBatchFloats / Math.max(1, floatsPerImage));
        return BatchChunks.count(batch, 1, most);
    }

    /** The threads each step spreads over: all of them for one sub-batch, else 1 (sub-batches side by side). */
    private static int stepThreads(int subBatches, int threads) {
        return subBatches == 1 ? threads : 1;
    }

    /** How a batch runs, for per-layer timings: "16 sub-batches of 8 images, side by side on 2 threads". */
    public String describeSubBatches(int batch, int threads) {
        int count = subBatches(batch);
        if (count == 1) {
            return "the whole batch at once (" + floatsPerImage * 4 / 1024 + " KiB of activations per image)";
        }
        int most = BatchChunks.largest(batch, count);
        return count + " sub-batches of " + (most == 1 ? "1 image (" : most + " images (")
                + floatsPerImage * 4 / 1024 + " KiB of activations per image), "
                + (threads > 1 ? "side by side on " + Math.min(threads, count) + " threads" : "one after another");
    }

    /** As {@link #compile(Module, int, int, int)} with another working-set budget per tile, in floats. */
    static InferencePlan compile(Module model, int channels, int height, int width, int tileFloats) {
        return PlanCompiler.compile(model, new Shape(channels, height, width), tileFloats);
    }

    /**
     * Greedy interval allocation: walking the steps in order, a value's slot is freed after its last reader,
     * and each output takes a free slot (growing it when needed) or a new one. A step's inputs are still live
     * while it runs, so no step writes a buffer it reads.
     */
    private void assignSlots(List<Integer> sizes) {
        int[] lastUse = new int[values.size()];
        Arrays.fill(lastUse, -1);
        for (int i = 0; i < steps.size(); i++) {
            for (int v : steps.get(i).inputs()) {
                lastUse[v] = i;
            }
        }
        List<Integer> free = new ArrayList<>();
        List<Integer> live = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            for (int j = live.size() - 1; j >= 0; j--) {
                int v = live.get(j);
                if (lastUse[v] < i) {
                    free.add(slotOf[v]);
                    live.remove(j);
                }
            }
            int out = steps.get(i).output();
            if (out < 0) {
                continue;
            }
            int need = values.get(out).size();
            int slot;
            if (free.isEmpty()) {
                slot = sizes.size();
                sizes.add(need);
            } else {
                // the free slot closest in size: reuses big buffers for big activations
                int best = 0;
                for (int j = 1; j < free.size(); j++) {
                    if (Math.abs(sizes.get(free.get(j)) - need) < Math.abs(sizes.get(free.get(best)) - need)) {
                        best = j;
                    }
                }
                slot = free.remove(best);
                sizes.set(slot, Math.max(sizes.get(slot), need));
            }
            slotOf[out] = slot;
            live.add(out);
        }
    }

    public int channels() {
        return input.channels();
    }

    public int height() {
        return input.height();
    }

    public int width() {
        return input.width();
    }

    /** Floats per input image. */
    public int imageSize() {
        return input.size();
    }

    /** Outputs per image. */
    public int classes() {
        return classes;
    }

    /** One line per step, in execution order (what {@link #run(float[], int, int, long[])} times). */
    public List<String> stepDescriptions() {
        return steps.stream().map(Step::describe).toList();
    }

    /** Multiply-adds per image of each step, in execution order. */
    public long[] stepMacs() {
        return steps.stream().mapToLong(Step::macsPerImage).toArray();
    }

    /** How each step cuts a batch of {@code batch} into units of work ("" for steps that do not), in execution order. */
    public List<String> stepTilings(int batch) {
        int count = subBatches(batch);
        int sub = BatchChunks.largest(batch, count);
        int threads = stepThreads(count, Backends.current().threads());
        return steps.stream().map(s -> s.tiling(sub, threads)).toList();
    }

    /** The parts each step times separately (empty for most), in execution order; see {@link #run(float[], int, int, long[], long[][])}. */
    public List<List<String>> stepParts() {
        return steps.stream().map(Step::parts).toList();
    }

    /** Multiply-adds per image of each part of each step, as {@link #stepParts()} (halo rows recomputed by row tiles not counted). */
    public List<long[]> stepPartMacs() {
        return steps.stream().map(Step::partMacsPerImage).toList();
    }

    /** Activation buffers the plan uses (each holds batch x its largest value). */
    public int bufferCount() {
        return slotSize.length;
    }

    /** The logits (batch, classes) of {@code batch} images (B, C, H, W) at {@code offset}. */
    public float[] run(float[] images, int offset, int batch) {
        return run(images, offset, batch, null);
    }

    /**
     * As {@link #run(float[], int, int)}, adding each step's wall time in nanoseconds to
     * {@code stepNanos[i]} when it is not null (length: the number of steps).
     */
    public float[] run(float[] images, int offset, int batch, long[] stepNanos) {
        return run(images, offset, batch, stepNanos, null);
    }

    /**
     * As {@link #run(float[], int, int, long[])}, also adding each part's time to {@code partNanos[i][j]}
     * for part j of step i (see {@link #stepParts()}) when partNanos is not null. A part's time is summed
     * over the threads that ran it, so at several threads the parts of a step add up to more than its
     * wall time: read them as shares of the step.
     */
    public float[] run(float[] images, int offset, int batch, long[] stepNanos, long[][] partNanos) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        if (offset < 0 || (long) offset + (long) batch * input.size() > images.length) {
            throw new IllegalArgumentException("images: " + batch + " x " + input + " at offset " + offset
                    + " need " + ((long) offset + (long) batch * input.size()) + " floats, the array has " + images.length);
        }
        if (stepNanos != null && stepNanos.length != steps.size()) {
            throw new IllegalArgumentException("stepNanos needs " + steps.size() + " entries, got " + stepNanos.length);
        }
        float[] logits = new float[batch * classes];
        Backend be = Backends.current();
        Map<Step, AtomicLongArray> clocks = null;
        if (partNanos != null) {
            if (partNanos.length != steps.size()) {
                throw new IllegalArgumentException("partNanos needs " + steps.size() + " entries, got " + partNanos.length);
            }
            clocks = new IdentityHashMap<>();
            for (int i = 0; i < steps.size(); i++) {
                int parts = steps.get(i).parts().size();
                if (partNanos[i] == null || partNanos[i].length != parts) {
                    throw new IllegalArgumentException("partNanos[" + i + "] needs " + parts + " entries");
                }
                clocks.put(steps.get(i), new AtomicLongArray(parts));
            }
        }
        int count = subBatches(batch);
        if (count == 1 || be.threads() == 1) {
            // one thread goes through the sub-batches in turn (or one sub-batch whose steps share the threads)
            Workspace ws = acquire();
            try {
                ws.clearTimes(steps.size());
                for (int sb = 0; sb < count; sb++) {
                    runSubBatch(ws, be, stepThreads(count, be.threads()), images, offset, batch, count, sb, logits,
                            clocks, stepNanos != null);
                }
                ws.addTimes(stepNanos, 1);
            } finally {
                release(ws);
            }
        } else {
            runSideBySide(be, images, offset, batch, count, logits, clocks, stepNanos);
        }
        if (clocks != null) {
            for (int i = 0; i < steps.size(); i++) {
                AtomicLongArray clock = clocks.get(steps.get(i));
                for (int j = 0; j < clock.length(); j++) {
                    partNanos[i][j] += clock.get(j);
                }
            }
        }
        return logits;
    }

    /**
     * The sub-batches on the threads side by side, each thread taking a contiguous range of them through
     * every step with its own buffers: no fork and join per step, and each thread's activations stay in its
     * core's cache. A step's time is then its threads' summed time divided by their number.
     */
    private void runSideBySide(Backend be, float[] images, int offset, int batch, int count, float[] logits,
                               Map<Step, AtomicLongArray> clocks, long[] stepNanos) {
        for (Step step : steps) {
            step.prepare(be); // lazily computed layouts, computed here once instead of racing in the threads
        }
        int workers = Math.min(be.threads(), count);
        Workspace[] used = new Workspace[workers];
        for (int t = 0; t < workers; t++) {
            used[t] = acquire();
            used[t].clearTimes(steps.size());
        }
        // forEachRange runs the body once per worker (or once, on this thread, inside another part)
        AtomicInteger next = new AtomicInteger();
        try {
            be.forEachRange(count, (s0, s1) -> {
                Workspace ws = used[next.getAndIncrement()];
                for (int sb = s0; sb < s1; sb++) {
                    runSubBatch(ws, be, 1, images, offset, batch, count, sb, logits, clocks, stepNanos != null);
                }
            });
            for (Workspace ws : used) {
                ws.addTimes(stepNanos, workers);
            }
        } finally {
            for (Workspace ws : used) {
                release(ws);
            }
        }
    }

    /** Sub-batch sb of count through every step, with ws's buffers, each step spreading over threads. */
    private void runSubBatch(Workspace ws, Backend be, int threads, float[] images, int offset, int batch, int count,
                             int sb, float[] logits, Map<Step, AtomicLongArray> clocks, boolean timed) {
        int b0 = BatchChunks.start(batch, count, sb);
        int nb = BatchChunks.size(batch, count, sb);
        PlanRun run = new PlanRun(nb, be, ws.buffers(nb), images, offset + b0 * input.size(), logits,
                b0 * classes, threads, clocks);
        for (int i = 0; i < steps.size(); i++) {
            long t0 = timed ? System.nanoTime() : 0;
            steps.get(i).run(run);
            if (timed) {
                ws.stepNanos[i] += System.nanoTime() - t0;
            }
        }
    }

    private synchronized Workspace acquire() {
        Workspace ws = idle.poll();
        return ws != null ? ws : new Workspace();
    }

    private synchronized void release(Workspace ws) {
        idle.push(ws);
    }

    /**
     * One thread's activation buffers (slot arrays grown to the largest sub-batch seen) and step times. A
     * plan keeps the workspaces between runs, so a steady-state run allocates no activations.
     */
    private final class Workspace {
        private float[][] slots = new float[0][];
        private int capacity;
        private long[] stepNanos = new long[0];

        /** Each value's buffer for a sub-batch of nb images. */
        float[][] buffers(int nb) {
            if (nb > capacity) {
                slots = new float[slotSize.length][];
                for (int s = 0; s < slotSize.length; s++) {
                    slots[s] = new float[Math.multiplyExact(slotSize[s], nb)];
                }
                capacity = nb;
            }
            float[][] byValue = new float[values.size()][];
            for (int v = 0; v < byValue.length; v++) {
                byValue[v] = slotOf[v] < 0 ? null : slots[slotOf[v]];
            }
            return byValue;
        }

        void clearTimes(int n) {
            if (stepNanos.length != n) {
                stepNanos = new long[n];
            }
            Arrays.fill(stepNanos, 0);
        }

        /** Adds this workspace's step times, divided by the workers that ran side by side, to into. */
        void addTimes(long[] into, int workers) {
            if (into != null) {
                for (int i = 0; i < into.length; i++) {
                    into[i] += stepNanos[i] / workers;
                }
            }
        }
    }

    /** The logits of x (N, C, H, W) as a tensor (N, classes), without autograd. */
    public Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.dim(1) != input.channels() || x.dim(2) != input.height() || x.dim(3) != input.width()) {
            throw new IllegalArgumentException("this plan takes (N, " + input.channels() + ", " + input.height() + ", "
                    + input.width() + ") images, got " + Arrays.toString(x.shape()));
        }
        return Tensor.wrap(run(x.data(), 0, x.dim(0)), x.dim(0), classes);
    }

    @Override
    public String toString() {
        return "InferencePlan(" + input + " -> " + classes + ", " + steps.size() + " steps, " + slotSize.length
                + " buffers)";
    }
}
