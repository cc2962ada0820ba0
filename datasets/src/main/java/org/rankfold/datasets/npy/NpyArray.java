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

    /** Product of the dimensions (1 for a 0-d array, 0 if any dimension is 0); -1 if it overflows a long. */
    public static long elementCount(int[] shape) {
        for (int d : shape) {
            if (d == 0) {
                return 0;
            }
        }
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

    /** The values encoded little-endian in this array's dtype, C order (the payload of .npy and safetensors). */
    public byte[] toLittleEndianBytes() {
        int n = size();
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(Math.multiplyExact(n, dtype.size()))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case FLOAT32 -> out.asFloatBuffer().put((float[]) data);
            case FLOAT64 -> out.asDoubleBuffer().put((double[]) data);
            case INT64 -> out.asLongBuffer().put((long[]) data);
            case INT32 -> {
                for (long x : (long[]) data) {
                    out.putInt(Math.toIntExact(x));
                }
            }
            case UINT8 -> out.put((byte[]) data);
        }
        return out.array();
    }

    /**
     * Decodes {@code elementCount(shape)} little-endian values of {@code dtype} from {@code bytes} starting at
     * {@code offset}; the caller has checked that they are there.
     */
    public static NpyArray fromLittleEndian(NpyDtype dtype, int[] shape, byte[] bytes, int offset) {
        long count = elementCount(shape);
        if (count < 0 || count > Integer.MAX_VALUE || offset < 0 || count * dtype.size() > bytes.length - (long) offset) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + dtype.descr()
                    + " needs more than the " + (bytes.length - (long) offset) + " bytes given");
        }
        int n = (int) count;
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes, offset, n * dtype.size()).slice()
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        return switch (dtype) {
            case FLOAT32 -> {
                float[] v = new float[n];
                buf.asFloatBuffer().get(v);
                yield ofFloats(shape, v);
            }
            case FLOAT64 -> {
                double[] v = new double[n];
                buf.asDoubleBuffer().get(v);
                yield ofDoubles(shape, v);
            }
            case INT64 -> {
                long[] v = new long[n];
                buf.asLongBuffer().get(v);
                yield ofLongs(shape, v);
            }
            case INT32 -> {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = buf.getInt(4 * i);
                }
                yield ofInts(shape, v);
            }
            case UINT8 -> ofBytes(shape, Arrays.copyOfRange(bytes, offset, offset + n));
        };
    }

    /** Number of NaN and infinite values (0 for integer arrays). */
    public long[] nonFiniteCounts() {
        long nan = 0;
        long inf = 0;
        if (dtype == NpyDtype.FLOAT32) {
            for (float f : (float[]) data) {
                nan += Float.isNaN(f) ? 1 : 0;
                inf += Float.isInfinite(f) ? 1 : 0;
            }
        } else if (dtype == NpyDtype.FLOAT64) {
            for (double d : (double[]) data) {
                nan += Double.isNaN(d) ? 1 : 0;
                inf += Double.isInfinite(d) ? 1 : 0;
            }
        }
        return new long[] {nan, inf};
    }

    @Override
    public String toString() {
        return "NpyArray(" + dtype.descr() + ", shape " + Arrays.toString(shape) + ")";
    }
}
