package org.rankfold.engine.tensor;

import java.util.ArrayDeque;

import it.unimi.dsi.fastutil.ints.Int2ObjectMap;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;

/**
 * Recycles the data arrays of one step's activations: while a scope is open on a thread, ops take their
 * output (and saved-for-backward) arrays from here, and closing the scope hands all of them back, so the
 * next step of the same network takes the same arrays again instead of allocating (and, on a fresh heap
 * region, page-faulting) tens of megabytes per step (docs/architecture.md: a steady-state step allocates no large
 * arrays). Outside a scope the same calls simply allocate, so code that keeps its tensors is unaffected.
 *
 * <p>Pooling is by exact length. At close, arrays that were free but not taken during the scope are
 * dropped, so the arena never holds more than the largest working set of the last two steps, and a
 * change of shapes (another batch size, evaluation after training) does not hoard memory.
 *
 * <p><b>Hazard:</b> every tensor computed inside a scope, and its graph, is invalid after {@link Scope#close()}:
 * read what you need (the loss value, the logits' argmax) and run backward before closing. Use it around
 * whole steps only (the trainer's and the benchmarks'); guarded by {@code StepArenaTest}.
 */
public final class StepArena {
    private static final ThreadLocal<StepArena> ARENA = ThreadLocal.withInitial(StepArena::new);

    // keyed by array length without boxing: the lookups run for every op of every step
    private Int2ObjectOpenHashMap<ArrayDeque<float[]>> freeFloats = new Int2ObjectOpenHashMap<>();
    private Int2ObjectOpenHashMap<ArrayDeque<float[]>> usedFloats = new Int2ObjectOpenHashMap<>();
    private Int2ObjectOpenHashMap<ArrayDeque<int[]>> freeInts = new Int2ObjectOpenHashMap<>();
    private Int2ObjectOpenHashMap<ArrayDeque<int[]>> usedInts = new Int2ObjectOpenHashMap<>();
    private int depth;

    private StepArena() {
    }

    /** Opens a scope on this thread (scopes nest; arrays go back when the outermost one closes). */
    public static Scope open() {
        StepArena a = ARENA.get();
        a.depth++;
        return new Scope(a);
    }

    /** True while a scope is open on this thread. */
    public static boolean isOpen() {
        return ARENA.get().depth > 0;
    }

    /** An array of {@code length} floats; inside a scope its contents are undefined (the caller overwrites it). */
    public static float[] floats(int length) {
        StepArena a = ARENA.get();
        if (a.depth == 0) {
            return new float[length];
        }
        float[] b = take(a.freeFloats, length);
        if (b == null) {
            b = new float[length];
        }
        keep(a.usedFloats, length, b);
        return b;
    }

    /** As {@link #floats}, for ints. */
    public static int[] ints(int length) {
        StepArena a = ARENA.get();
        if (a.depth == 0) {
            return new int[length];
        }
        int[] b = take(a.freeInts, length);
        if (b == null) {
            b = new int[length];
        }
        keep(a.usedInts, length, b);
        return b;
    }

    private static <T> T take(Int2ObjectMap<ArrayDeque<T>> free, int length) {
        ArrayDeque<T> q = free.get(length);
        return q == null ? null : q.pollFirst();
    }

    private static <T> void keep(Int2ObjectMap<ArrayDeque<T>> used, int length, T array) {
        ArrayDeque<T> q = used.get(length);
        if (q == null) {
            q = new ArrayDeque<>();
            used.put(length, q);
        }
        q.addFirst(array);
    }

    private void closeScope() {
        if (depth <= 0) {
            throw new IllegalStateException("StepArena scope closed twice");
        }
        if (--depth > 0) {
            return;
        }
        // what the step used becomes the free set; what it did not use is dropped (the deques are kept)
        freeFloats.values().forEach(ArrayDeque::clear);
        Int2ObjectOpenHashMap<ArrayDeque<float[]>> f = freeFloats;
        freeFloats = usedFloats;
        usedFloats = f;
        freeInts.values().forEach(ArrayDeque::clear);
        Int2ObjectOpenHashMap<ArrayDeque<int[]>> i = freeInts;
        freeInts = usedInts;
        usedInts = i;
    }

    /** Floats held for reuse on this thread (for memory reports and tests). */
    public static long heldFloats() {
        StepArena a = ARENA.get();
        long n = 0;
        for (Int2ObjectMap.Entry<ArrayDeque<float[]>> e : a.freeFloats.int2ObjectEntrySet()) {
            n += (long) e.getIntKey() * e.getValue().size();
        }
        return n;
    }

    /** An open scope; close it exactly once, on the thread that opened it. */
    public static final class Scope implements AutoCloseable {
        private final StepArena arena;
        private boolean closed;

        private Scope(StepArena arena) {
            this.arena = arena;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            arena.closeScope();
        }
    }
}
