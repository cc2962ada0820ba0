package org.rankfold.kernels.ref;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.Transpose;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The reference itself, checked on hand-computed products. */
class GemmRefTest {

    @Test
    void multipliesSmallMatricesInEveryVariant() {
        float[] a = {1, 2, 3, 4, 5, 6};      // 2x3
        float[] at = {1, 4, 2, 5, 3, 6};     // 3x2 = a^T
        float[] b = {7, 8, 9, 10, 11, 12};   // 3x2
        float[] bt = {7, 9, 11, 8, 10, 12};  // 2x3 = b^T
        float[] expected = {58, 64, 139, 154};
        float[] c = new float[4];
        GemmRef.gemm(Transpose.NO, Transpose.NO, 2, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 2);
        assertArrayEquals(expected, c);
        GemmRef.gemm(Transpose.YES, Transpose.NO, 2, 2, 3, 1f, at, 0, 2, b, 0, 2, 0f, c, 0, 2);
        assertArrayEquals(expected, c);
        GemmRef.gemm(Transpose.NO, Transpose.YES, 2, 2, 3, 1f, a, 0, 3, bt, 0, 3, 0f, c, 0, 2);
        assertArrayEquals(expected, c);
    }

    @Test
    void betaZeroOverwritesNaNAndBetaOneAccumulates() {
        float[] a = {1, 2};
        float[] b = {3, 4};
        float[] c = {Float.NaN};
        GemmRef.gemm(Transpose.NO, Transpose.NO, 1, 1, 2, 1f, a, 0, 2, b, 0, 1, 0f, c, 0, 1);
        assertArrayEquals(new float[] {11}, c);
        GemmRef.gemm(Transpose.NO, Transpose.NO, 1, 1, 2, 2f, a, 0, 2, b, 0, 1, 1f, c, 0, 1);
        assertArrayEquals(new float[] {33}, c);
    }
}
