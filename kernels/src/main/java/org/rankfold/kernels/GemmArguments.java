package org.rankfold.kernels;

import java.util.Locale;

/**
 * Validation of SGEMM arguments, shared by every implementation so they reject the same misuse with the
 * same message: sizes >= 0, leading dimensions at least the stored row length, every operand inside its
 * array (A stored M x K, or K x M when transposed; B stored K x N, or N x K when transposed; C M x N).
 */
public final class GemmArguments {
    private GemmArguments() {
    }

    /** Throws IllegalArgumentException naming the operand, its shape, ld and offset when something does not fit. */
    public static void check(Transpose transA, Transpose transB, int m, int n, int k,
                             float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
                             float[] c, int cOffset, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm: negative size M=" + m + " N=" + n + " K=" + k);
        }
        if (m == 0 || n == 0) {
            return;
        }
        operand("C", c, cOffset, ldc, m, n);
        if (k == 0) {
            return;
        }
        boolean ta = transA.transposed();
        boolean tb = transB.transposed();
        operand("A", a, aOffset, lda, ta ? k : m, ta ? m : k);
        operand("B", b, bOffset, ldb, tb ? n : k, tb ? k : n);
    }

    private static void operand(String name, float[] x, int offset, int ld, int rows, int cols) {
        if (x == null) {
            throw new IllegalArgumentException("gemm: " + name + " is null");
        }
        if (ld < cols) {
            throw new IllegalArgumentException("gemm: ld" + name.toLowerCase(Locale.ROOT) + " = " + ld
                    + " is smaller than the " + cols + " columns of stored " + name);
        }
        long last = (long) offset + (long) (rows - 1) * ld + cols - 1;
        if (offset < 0 || last >= x.length) {
            throw new IllegalArgumentException("gemm: " + name + " (" + rows + " x " + cols + " stored, ld " + ld
                    + ", offset " + offset + ") needs " + (last + 1) + " elements, the array has " + x.length);
        }
    }
}
