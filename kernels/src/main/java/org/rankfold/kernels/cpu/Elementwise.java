package org.rankfold.kernels.cpu;

/**
 * Element-wise operations on len consecutive floats, with the semantics of
 * {@link org.rankfold.kernels.ref.ElementwiseRef}. The loops are plain counted loops over arrays, which
 * C2's superword pass turns into full-width vector code; large arrays are cut into contiguous chunks, one
 * per thread (each element is computed independently, so the result does not depend on threads).
 */
public final class Elementwise {
    private static final int MIN_PER_THREAD = 1 << 16;

    private Elementwise() {
    }

    public static void addInPlace(WorkerPool pool, int len, float[] x, int xOffset, float[] y, int yOffset) {
        pool.split(len, MIN_PER_THREAD, (from, to) -> {
            for (int i = from; i < to; i++) {
                y[yOffset + i] += x[xOffset + i];
            }
        });
    }

    public static void axpy(WorkerPool pool, int len, float alpha, float[] x, int xOffset, float[] y, int yOffset) {
        pool.split(len, MIN_PER_THREAD, (from, to) -> {
            for (int i = from; i < to; i++) {
                y[yOffset + i] += alpha * x[xOffset + i];
            }
        });
    }

    public static void scale(WorkerPool pool, int len, float alpha, float[] x, int xOffset, float[] y, int yOffset) {
        pool.split(len, MIN_PER_THREAD, (from, to) -> {
            for (int i = from; i < to; i++) {
                y[yOffset + i] = alpha * x[xOffset + i];
            }
        });
    }

    public static void relu(WorkerPool pool, int len, float[] x, int xOffset, float[] y, int yOffset) {
        pool.split(len, MIN_PER_THREAD, (from, to) -> {
            for (int i = from; i < to; i++) {
                float v = x[xOffset + i];
                y[yOffset + i] = v > 0f ? v : 0f;
            }
        });
    }

    public static void reluBackward(WorkerPool pool, int len, float[] x, int xOffset, float[] dy, int dyOffset,
                                    float[] dx, int dxOffset) {
        pool.split(len, MIN_PER_THREAD, (from, to) -> {
            for (int i = from; i < to; i++) {
                dx[dxOffset + i] += x[xOffset + i] > 0f ? dy[dyOffset + i] : 0f;
            }
        });
    }
}
