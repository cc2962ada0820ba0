package org.rankfold.engine.tensor;

import java.util.ArrayDeque;

import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import org.rankfold.kernels.Backends;

/**
 * Recycles the gradient buffers of intermediate tensors: backward frees each one as soon as it has been
 * propagated, and the next backward of the same graph shape needs the same sizes again, so a steady-state
 * training step takes its intermediate gradients from here instead of allocating them. Per thread (the
 * tape is replayed on one thread), bounded per size so a change of shapes cannot hoard memory.
 *
 * <p>Hazard: a gradient hook ({@link Tensor#onGrad}) must not keep the array it is given beyond the call,
 * since the buffer is reused after propagation (guarded by {@code AutogradTest.gradHooksSeeTheCompleteGradient},
 * which copies). Tensors marked {@link Tensor#retainGrad()} keep theirs.
 */
final class GradPool {
    /** Buffers kept per distinct length. */
    static final int MAX_PER_SIZE = 16;
    /** Free buffers by length, per thread; int keys, so a lookup does not box. */
    private static final ThreadLocal<Int2ObjectOpenHashMap<ArrayDeque<float[]>>> POOL =
            ThreadLocal.withInitial(Int2ObjectOpenHashMap::new);

    private GradPool() {
    }

    /** A zeroed buffer of {@code length} floats. */
    static float[] take(int length) {
        float[] b = recycled(length);
        if (b == null) {
            return new float[length];
        }
        // split over the backend's threads: these are activation-sized (up to tens of MB per step)
        Backends.current().fill(length, 0f, b, 0);
        return b;
    }

    /** A buffer of {@code length} floats with undefined contents, for a writer that overwrites all of them. */
    static float[] takeUnzeroed(int length) {
        float[] b = recycled(length);
        return b == null ? new float[length] : b;
    }

    /** A free buffer of {@code length} floats as it was given back, or null. */
    private static float[] recycled(int length) {
        ArrayDeque<float[]> free = POOL.get().get(length);
        return free == null ? null : free.pollFirst();
    }

    /** Returns a buffer nobody references any more. */
    static void give(float[] buffer) {
        Int2ObjectOpenHashMap<ArrayDeque<float[]>> pool = POOL.get();
        ArrayDeque<float[]> free = pool.get(buffer.length);
        if (free == null) {
            free = new ArrayDeque<>();
            pool.put(buffer.length, free);
        }
        if (free.size() < MAX_PER_SIZE) {
            free.addFirst(buffer);
        }
    }
}
