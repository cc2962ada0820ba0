package org.rankfold.vbmf.tensor;

import java.util.Arrays;

/**
 * A dense float64 tensor in C (row-major) order: element {@code [i0, i1, ..., i(n-1)]} is at
 * {@code ((i0 * d1 + i1) * d2 + i2) ...}. Conv kernels are {@code [S, C, KH, KW]} = {@code [OC, IC, KH, KW]}.
 *
 * <p>The record holds its arrays as given (no defensive copy, so large kernels are not duplicated);
 * callers that keep a reference must not modify {@code values}.
 *
 * @param shape  dimensions, each &gt;= 1, at least one
 * @param values {@code prod(shape)} values in C order
 */
public record DenseTensor(int[] shape, double[] values) {

    public DenseTensor {
        if (shape == null || shape.length == 0) {
            throw new IllegalArgumentException("a tensor needs at least one dimension");
        }
        long n = 1;
        for (int d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("dimensions must be >= 1, got " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        if (values == null || values.length != n) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got "
                    + (values == null ? "null" : values.length));
        }
        shape = shape.clone();
    }

    /** A zero tensor of the given shape. */
    public static DenseTensor zeros(int... shape) {
        long n = 1;
        for (int d : shape) {
            n = Math.multiplyExact(n, Math.max(d, 0));
        }
        return new DenseTensor(shape, new double[Math.toIntExact(n)]);
    }

    public int order() {
        return shape.length;
    }

    public int dim(int axis) {
        return shape[axis];
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public int size() {
        return values.length;
    }

    /** Product of the dimensions before {@code axis}. */
    public int sizeBefore(int axis) {
        int n = 1;
        for (int i = 0; i < axis; i++) {
            n *= shape[i];
        }
        return n;
    }

    /** Product of the dimensions after {@code axis}. */
    public int sizeAfter(int axis) {
        int n = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            n *= shape[i];
        }
        return n;
    }

    /** Frobenius norm, accumulated with scaling so that huge or tiny values neither overflow nor underflow. */
    public double frobeniusNorm() {
        return Norms.frobenius(values);
    }

    /** First index of a NaN or infinite value, or -1. */
    public int firstNonFinite() {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DenseTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(values, t.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "DenseTensor" + Arrays.toString(shape);
    }
}
