package org.rankfold.benchmarks.kernels;

import java.util.SplittableRandom;

import org.rankfold.kernels.Transpose;
import org.rankfold.kernels.ref.GemmRef;

/** Seeded inputs and the reference checks every benchmark runs in its setup before timing. */
final class BenchSetup {
    private BenchSetup() {
    }

    static float[] uniform(SplittableRandom rng, int len) {
        float[] v = new float[len];
        for (int i = 0; i < len; i++) {
            v[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return v;
    }

    /**
     * Compares rows 0, M/2 and M-1 of C = op(A)*op(B) (alpha 1, beta 0) with the scalar reference (a full
     * reference product of 2048^3 would take longer than the benchmark).
     */
    static void checkGemmRows(Transpose ta, Transpose tb, int m, int n, int k, float[] a, float[] b, float[] c) {
        int lda = ta.transposed() ? m : k;
        int ldb = tb.transposed() ? k : n;
        for (int row : new int[] {0, m / 2, m - 1}) {
            float[] expected = new float[n];
            // row i of op(A): offset i*lda (not transposed) or column i (transposed, stride lda)
            if (ta.transposed()) {
                float[] rowOfA = new float[k];
                for (int p = 0; p < k; p++) {
                    rowOfA[p] = a[p * lda + row];
                }
                GemmRef.gemm(Transpose.NO, tb, 1, n, k, 1f, rowOfA, 0, k, b, 0, ldb, 0f, expected, 0, n);
            } else {
                GemmRef.gemm(Transpose.NO, tb, 1, n, k, 1f, a, row * lda, lda, b, 0, ldb, 0f, expected, 0, n);
            }
            double tolerance = 16 * Math.ulp(1f) * k;
            for (int j = 0; j < n; j++) {
                double diff = Math.abs(expected[j] - c[row * n + j]);
                if (!(diff <= tolerance)) {
                    throw new IllegalStateException("gemm " + m + "x" + n + "x" + k + " " + ta + "/" + tb + " differs from"
                            + " the reference at (" + row + ", " + j + "): " + c[row * n + j] + " vs " + expected[j]);
                }
            }
        }
    }

    static void checkClose(String what, float[] expected, float[] actual, double tolerance) {
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= tolerance)) {
                throw new IllegalStateException(what + " differs from the reference at " + i + ": " + actual[i]
                        + " vs " + expected[i]);
            }
        }
    }
}
