package org.rankfold.engine.infer;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

import org.rankfold.kernels.Backend;

/**
 * What one execution of a plan over a (sub-)batch hands its steps: the batch size, the backend, each value's
 * buffer, the caller's images (B, C, H, W) at inputOffset, the caller's logits array (B, classes) to be
 * written from logitsOffset, the threads a step may spread its work over (the backend's, or 1 when
 * sub-batches run side by side, one per thread), and when parts are timed, each step's clock (nanoseconds
 * per part, summed over the threads that ran its tiles).
 */
record PlanRun(int batch, Backend backend, float[][] buffers, float[] input, int inputOffset, float[] logits,
               int logitsOffset, int threads, Map<Step, AtomicLongArray> partClocks) {

    float[] buffer(int value) {
        return buffers[value];
    }

    /** The step's part clock, or null when parts are not timed. */
    AtomicLongArray parts(Step step) {
        return partClocks == null ? null : partClocks.get(step);
    }
}
