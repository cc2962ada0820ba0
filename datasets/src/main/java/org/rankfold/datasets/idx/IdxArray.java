package org.rankfold.datasets.idx;

import java.util.Arrays;

/**
 * The content of one IDX file of unsigned bytes: its dimensions (e.g. {@code [N, 28, 28]} for images,
 * {@code [N]} for labels) and the values in row-major order.
 */
public record IdxArray(int[] dims, byte[] data) {
    public IdxArray {
        dims = dims.clone();
        long n = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(dims));
            }
            // saturate: with a zero dimension anywhere the product is 0 even if a prefix overflows
            n = d == 0 ? 0 : n > Long.MAX_VALUE / d ? Long.MAX_VALUE : n * d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("dims " + Arrays.toString(dims) + " hold " + n + " values, data has " + data.length);
        }
    }

    @Override
    public int[] dims() {
        return dims.clone();
    }

    /** Value at flat index {@code i} as 0..255. */
    public int unsigned(int i) {
        return data[i] & 0xff;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdxArray a && Arrays.equals(dims, a.dims) && Arrays.equals(data, a.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(dims) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "IdxArray(u8, dims " + Arrays.toString(dims) + ")";
    }
}
