package org.rankfold.engine.infer;

/**
 * One thread's reusable work arrays for the plan's chunk loops (im2col columns, rank-sized intermediates,
 * pre-pool outputs): grown when a larger one is asked for, never shrunk, so a steady-state run allocates
 * nothing. Each slot is an independent array so one chunk can hold several at once.
 */
final class Scratch {
    static final int COLS = 0;
    static final int STAGE_A = 1;
    static final int STAGE_B = 2;
    static final int POOL = 3;
    static final int POOLED = 4;

    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

    private final float[][] floats = new float[5][];
    private int[] ints = new int[0];

    static Scratch get() {
        return LOCAL.get();
    }

    float[] floats(int slot, int size) {
        float[] f = floats[slot];
        if (f == null || f.length < size) {
            f = new float[size];
            floats[slot] = f;
        }
        return f;
    }

    int[] ints(int size) {
        if (ints.length < size) {
            ints = new int[size];
        }
        return ints;
    }
}
