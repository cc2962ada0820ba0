package org.rankfold.kernels.ref;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The element-wise references on hand-computed cases, with offsets. */
class ElementwiseRefTest {

    @Test
    void addAxpyAndScale() {
        float[] x = {9, 1, 2, 3};
        float[] y = {10, 20, 30, 40};
        ElementwiseRef.addInPlace(3, x, 1, y, 0);
        assertArrayEquals(new float[] {11, 22, 33, 40}, y);
        ElementwiseRef.axpy(3, -2, x, 1, y, 1);
        assertArrayEquals(new float[] {11, 20, 29, 34}, y);
        ElementwiseRef.scale(2, 0.5f, y, 2, y, 2);
        assertArrayEquals(new float[] {11, 20, 14.5f, 17}, y);
    }

    @Test
    void reluAndItsGradientWhichIsZeroAtZero() {
        float[] x = {-1, 0, 2, -0.5f, 3};
        float[] y = new float[5];
        ElementwiseRef.relu(5, x, 0, y, 0);
        assertArrayEquals(new float[] {0, 0, 2, 0, 3}, y);
        float[] dy = {1, 1, 1, 1, 1};
        float[] dx = {5, 5, 5, 5, 5};
        ElementwiseRef.reluBackward(5, x, 0, dy, 0, dx, 0);
        assertArrayEquals(new float[] {5, 5, 6, 5, 6}, dx);
    }
}
