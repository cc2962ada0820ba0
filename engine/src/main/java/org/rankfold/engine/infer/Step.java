package org.rankfold.engine.infer;

import java.util.List;

import org.rankfold.kernels.Backend;

/**
 * One step of an {@link InferencePlan}: reads the activations named by {@link #inputs()} and writes
 * {@link #output()}, each a value index of the plan (buffers are assigned by the plan from the values'
 * lifetimes). Steps hold no per-batch state: everything a run needs comes in the {@link PlanRun}.
 */
interface Step {

    /** Value indices read. */
    int[] inputs();

    /** Value index written. */
    int output();

    /** A short description for per-layer timings ("conv 3x3 16->16 +bias+res+relu @ layer1.0.conv2"). */
    String describe();

    /** Multiply-adds per image (0 for data movement). */
    long macsPerImage();

    void run(PlanRun run);

    /**
     * Computes what the step computes lazily on its first run (layouts, tiles, transposed weights) for
     * backend be, so that threads running sub-batches side by side (each step on one thread, so no tiles
     * for the threads) only read it. Default: nothing.
     */
    default void prepare(Backend be) {
    }

    /**
     * How the step cuts a batch into units of work at this many threads (for per-layer timings), or "" when
     * it does not.
     */
    default String tiling(int batch, int threads) {
        return "";
    }

    /** Names of the parts a run times separately (see {@link PlanRun#parts}), or none. */
    default List<String> parts() {
        return List.of();
    }

    /** Multiply-adds per image of each part (0 for data movement), as {@link #parts()}. */
    default long[] partMacsPerImage() {
        return new long[0];
    }
}
