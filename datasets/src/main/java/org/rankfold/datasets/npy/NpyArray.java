package org.rankfold.datasets.npy;

import java.util.Arrays;

/**
 * One n-dimensional array as NumPy stores it: a dtype, a C-order shape and the values. Floating data
 * is held as float[] (float32) or double[] (float64), integers as long[] (int32/int64) or byte[] (uint8).
 * Scalars stored as 0-d arrays have an empty shape and one element.
 */
public final class NpyArray {
    private final NpyDtype dtype;
    private final int[] shape;
    private final Object data;

    private NpyArray(NpyDtype dtype, int[] shape, Object data) {
        this.dtype = dtype;
        this.shape = shape.clone();
        this.data = data;
        long n = elementCount(this.shape);
        if (n != java.lang.reflect.Array.getLength(data)) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n
                    + " elements but the data has " + java.lang.reflect.Array.getLength(data));
        }
    }

    public static NpyArray ofFloats(int[] shape, float[] values) {
        return new NpyArray(NpyDtype.FLOAT32, shape, values);
    }

    public static NpyArray ofDoubles(int[] shape, double[] values) {
        return new NpyArray(NpyDtype.FLOAT64, shape, values);
    }

    public static NpyArray ofLongs(int[] shape, long[] values) {
        return new NpyArray(NpyDtype.INT64, shape, values);
    }

    public static NpyArray ofInts(int[] shape, long[] values) {
        return new NpyArray(NpyDtype.INT32, shape, values);
    }

    public static NpyArray ofBytes(int[] shape, byte[] values) {
        return new NpyArray(NpyDtype.UINT8, shape, values);
    }

    /** Product of the dimensions (1 for a 0-d array); -1 if it overflows a long. */
    public static long elementCount(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                return -1;
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                return -1;
            }
        }
        return n;
    }

    public NpyDtype dtype() {
        return dtype;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int axis) {
        return shape[axis];
    }

    public int size() {
        return java.lang.reflect.Array.getLength(data);
    }

    /** The values as doubles (a copy unless the array is float64, in which case the backing array). */
    public double[] asDoubles() {
        return switch (dtype) {
            case FLOAT64 -> (double[]) data;
            case FLOAT32 -> {
                float[] f = (float[]) data;
                double[] d = new double[f.length];
                for (int i = 0; i < f.length; i++) {
                    d[i] = f[i];
                }
                yield d;
            }
            case INT64, INT32 -> Arrays.stream((long[]) data).asDoubleStream().toArray();
            case UINT8 -> {
                byte[] b = (byte[]) data;
                double[] d = new double[b.length];
                for (int i = 0; i < b.length; i++) {
                    d[i] = b[i] & 0xff;
                }
                yield d;
            }
        };
    }

    /** The values as floats (float64 is rounded to nearest; a copy unless the array is float32). */
    public float[] asFloats() {
        if (dtype == NpyDtype.FLOAT32) {
            return (float[]) data;
        }
        double[] d = asDoubles();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /** The values as longs; only for integer dtypes. */
    public long[] asLongs() {
        return switch (dtype) {
            case INT64, INT32 -> (long[]) data;
            case UINT8 -> {
                byte[] b = (byte[]) data;
                long[] l = new long[b.length];
                for (int i = 0; i < b.length; i++) {
                    l[i] = b[i] & 0xff;
                }
                yield l;
            }
            default -> throw new IllegalStateException("array of dtype " + dtype.descr() + " is not integer");
        };
    }

    /** The raw bytes; only for uint8. */
    public byte[] asBytes() {
        if (dtype != NpyDtype.UINT8) {
            throw new IllegalStateException("array of dtype " + dtype.descr() + " is not uint8");
        }
        return (byte[]) data;
    }

    /** First element as a double: convenient for scalars stored as 1-element arrays. */
    public double scalar() {
        if (size() < 1) {
            throw new IllegalStateException("empty array has no scalar value");
        }
        return asDoubles()[0];
    }

    /** First element as a long. */
    public long scalarLong() {
        if (size() < 1) {
            throw new IllegalStateException("empty array has no scalar value");
        }
        return dtype.isFloating() ? (long) asDoubles()[0] : asLongs()[0];
    }

    Object rawData() {
        return data;
    }

    @Override
    public String toString() {
        return "NpyArray(" + dtype.descr() + ", shape " + Arrays.toString(shape) + ")";
    }
}
