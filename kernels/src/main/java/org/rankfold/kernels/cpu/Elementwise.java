package org.rankfold.kernels.cpu;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise operations on len consecutive floats, with the semantics of
 * {@link org.rankfold.kernels.ref.ElementwiseRef}. The loops are plain counted loops over arrays, which
 * C2's superword pass turns into full-width vector code; large arrays are cut into contiguous chunks, one
 * per thread (each element is computed independently, so the result does not depend on threads).
 * ReLU and its backward are the exception: their {@code v > 0 ? v : 0} is a data-dependent branch that
 * C2 leaves scalar, mispredicted about half the time on activations, so they compare and blend with the
 * Vector API at the configured width (the scalar loop at width 0), with the same results.
 */
public final class Elementwise {
    private static final int MIN_PER_THREAD = 1 << 16;

    private Elementwise() {
    }

    public static void fill(WorkerPool pool, int len, float value, float[] y, int yOffset) {
        pool.split(len, MIN_PER_THREAD, (from, to) -> Arrays.fill(y, yOffset + from, yOffset + to, value));
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

    public static void relu(WorkerPool pool, SimdWidth width, int len, float[] x, int xOffset, float[] y, int yOffset) {
        pool.split(len, MIN_PER_THREAD, (from, to) -> {
            int i = from;
            if (width != SimdWidth.SCALAR) {
                VectorSpecies<Float> sp = width.floatSpecies();
                FloatVector zero = FloatVector.zero(sp);
                for (int upper = from + sp.loopBound(to - from); i < upper; i += sp.length()) {
                    FloatVector v = FloatVector.fromArray(sp, x, xOffset + i);
                    zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, yOffset + i);
                }
            }
            for (; i < to; i++) {
                float v = x[xOffset + i];
                y[yOffset + i] = v > 0f ? v : 0f;
            }
        });
    }

    /** y = max(0, a + b): bit for bit {@link #addInPlace}-style a + b followed by {@link #relu}; y is overwritten. */
    public static void addRelu(WorkerPool pool, SimdWidth width, int len, float[] a, int aOffset, float[] b,
                               int bOffset, float[] y, int yOffset) {
        pool.split(len, MIN_PER_THREAD, (from, to) -> {
            int i = from;
            if (width != SimdWidth.SCALAR) {
                VectorSpecies<Float> sp = width.floatSpecies();
                FloatVector zero = FloatVector.zero(sp);
                for (int upper = from + sp.loopBound(to - from); i < upper; i += sp.length()) {
                    FloatVector v = FloatVector.fromArray(sp, a, aOffset + i).add(FloatVector.fromArray(sp, b, bOffset + i));
                    zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, yOffset + i);
                }
            }
            for (; i < to; i++) {
                float v = a[aOffset + i] + b[bOffset + i];
                y[yOffset + i] = v > 0f ? v : 0f;
            }
        });
    }

    public static void reluBackward(WorkerPool pool, SimdWidth width, int len, float[] x, int xOffset, float[] dy,
                                    int dyOffset, float[] dx, int dxOffset) {
        pool.split(len, MIN_PER_THREAD, (from, to) -> {
            int i = from;
            if (width != SimdWidth.SCALAR) {
                VectorSpecies<Float> sp = width.floatSpecies();
                for (int upper = from + sp.loopBound(to - from); i < upper; i += sp.length()) {
                    VectorMask<Float> open = FloatVector.fromArray(sp, x, xOffset + i).compare(VectorOperators.GT, 0f);
                    FloatVector d = FloatVector.fromArray(sp, dx, dxOffset + i);
                    d.add(FloatVector.fromArray(sp, dy, dyOffset + i), open).intoArray(dx, dxOffset + i);
                }
            }
            for (; i < to; i++) {
                if (x[xOffset + i] > 0f) {
                    dx[dxOffset + i] += dy[dyOffset + i];
                }
            }
        });
    }

    /**
     * dx = (x > 0 ? 0 + dy : 0): {@link #reluBackward} into a dx that holds nothing yet, bit for bit what it
     * gives into zeros, without reading dx.
     */
    public static void reluBackwardStore(WorkerPool pool, SimdWidth width, int len, float[] x, int xOffset,
                                         float[] dy, int dyOffset, float[] dx, int dxOffset) {
        pool.split(len, MIN_PER_THREAD, (from, to) -> {
            int i = from;
            if (width != SimdWidth.SCALAR) {
                VectorSpecies<Float> sp = width.floatSpecies();
                FloatVector zero = FloatVector.zero(sp);
                for (int upper = from + sp.loopBound(to - from); i < upper; i += sp.length()) {
                    VectorMask<Float> open = FloatVector.fromArray(sp, x, xOffset + i).compare(VectorOperators.GT, 0f);
                    zero.add(FloatVector.fromArray(sp, dy, dyOffset + i), open).intoArray(dx, dxOffset + i);
                }
            }
            for (; i < to; i++) {
                dx[dxOffset + i] = x[xOffset + i] > 0f ? 0f + dy[dyOffset + i] : 0f;
            }
        });
    }
}
