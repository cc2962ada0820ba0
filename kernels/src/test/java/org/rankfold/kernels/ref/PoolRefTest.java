package org.rankfold.kernels.ref;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.Conv2dGeometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The pooling references on hand-computed cases (PyTorch semantics worked out on paper). */
class PoolRefTest {

    // One 4x4 plane:
    //  1  2  3  4
    //  5  6  7  8
    //  9 10 11 12
    // 13 14 15 16
    private static final float[] PLANE = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

    @Test
    void maxPool2x2PicksWindowMaximaAndTheirIndices() {
        Conv2dGeometry g = Conv2dGeometry.square(1, 4, 4, 2, 2, 0);
        float[] y = new float[4];
        int[] argmax = new int[4];
        PoolRef.maxPoolForward(g, PLANE, 0, y, 0, argmax, 0);
        assertArrayEquals(new float[] {6, 8, 14, 16}, y);
        assertArrayEquals(new int[] {5, 7, 13, 15}, argmax);

        float[] dx = new float[16];
        dx[0] = 100;  // accumulates, does not overwrite
        PoolRef.maxPoolBackward(g, new float[] {1, 2, 3, 4}, 0, argmax, 0, dx, 0);
        assertArrayEquals(new float[] {100, 0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4}, dx);
    }

    @Test
    void maxPoolTiesGoToTheFirstInRowMajorOrderAndOverlapsAccumulate() {
        // 3x3 of all 7s, kernel 2 stride 1: every window's first element wins.
        float[] x = {7, 7, 7, 7, 7, 7, 7, 7, 7};
        Conv2dGeometry g = Conv2dGeometry.square(1, 3, 3, 2, 1, 0);
        float[] y = new float[4];
        int[] argmax = new int[4];
        PoolRef.maxPoolForward(g, x, 0, y, 0, argmax, 0);
        assertArrayEquals(new int[] {0, 1, 3, 4}, argmax);
        float[] dx = new float[9];
        PoolRef.maxPoolBackward(g, new float[] {1, 1, 1, 1}, 0, argmax, 0, dx, 0);
        assertArrayEquals(new float[] {1, 1, 0, 1, 1, 0, 0, 0, 0}, dx);
    }

    @Test
    void maxPoolPaddingCountsAsMinusInfinity() {
        // All-negative plane with 3x3 stride 2 pad 1: padding must never win.
        float[] x = new float[16];
        for (int i = 0; i < 16; i++) {
            x[i] = -1 - i;
        }
        Conv2dGeometry g = Conv2dGeometry.square(1, 4, 4, 3, 2, 1);
        float[] y = new float[4];
        int[] argmax = new int[4];
        PoolRef.maxPoolForward(g, x, 0, y, 0, argmax, 0);
        // windows start at rows/cols -1 and 1: the top-left real element of each window wins.
        assertArrayEquals(new float[] {-1, -2, -5, -6}, offsetValues(x, new int[] {0, 1, 4, 5}));
        assertArrayEquals(new int[] {0, 1, 4, 5}, argmax);
        assertArrayEquals(new float[] {-1, -2, -5, -6}, y);
    }

    @Test
    void maxPoolHonoursOffsetsAndPlanes() {
        float[] x = new float[3 + 32];
        System.arraycopy(PLANE, 0, x, 3, 16);
        for (int i = 0; i < 16; i++) {
            x[3 + 16 + i] = 16 - i;  // second plane reversed
        }
        Conv2dGeometry g = Conv2dGeometry.square(2, 4, 4, 2, 2, 0);
        float[] y = new float[1 + 8];
        int[] argmax = new int[2 + 8];
        PoolRef.maxPoolForward(g, x, 3, y, 1, argmax, 2);
        assertArrayEquals(new float[] {0, 6, 8, 14, 16, 16, 14, 8, 6}, y);
        assertArrayEquals(new int[] {0, 0, 5, 7, 13, 15, 0, 2, 8, 10}, argmax);
    }

    @Test
    void avgPoolDividesByWindowOrByRealElements() {
        Conv2dGeometry g = Conv2dGeometry.square(1, 4, 4, 3, 2, 1);
        float[] inc = new float[4];
        float[] exc = new float[4];
        PoolRef.avgPoolForward(g, true, PLANE, 0, inc, 0);
        PoolRef.avgPoolForward(g, false, PLANE, 0, exc, 0);
        // window (0,0) covers rows 0..1, cols 0..1 of the plane: 1+2+5+6 = 14 over 9 or 4 elements.
        // window (0,1) rows 0..1, cols 1..3: 2+3+4+6+7+8 = 30 over 9 or 6.
        // window (1,0) rows 1..3, cols 0..1: 5+6+9+10+13+14 = 57 over 9 or 6.
        // window (1,1) rows 1..3, cols 1..3: 6+7+8+10+11+12+14+15+16 = 99 over 9.
        assertArrayEquals(new float[] {14f / 9, 30f / 9, 57f / 9, 11}, inc, 1e-6f);
        assertArrayEquals(new float[] {14f / 4, 5, 9.5f, 11}, exc, 1e-6f);

        float[] dx = new float[16];
        PoolRef.avgPoolBackward(g, false, new float[] {4, 6, 6, 9}, 0, dx, 0);
        // each window spreads dy/divisor = 1 over its real elements; overlaps add up.
        assertArrayEquals(new float[] {1, 2, 1, 1, 2, 4, 2, 2, 1, 2, 1, 1, 1, 2, 1, 1}, dx, 1e-6f);
    }

    @Test
    void avgPoolRejectsDilation() {
        Conv2dGeometry g = new Conv2dGeometry(1, 5, 5, 2, 2, 1, 1, 0, 0, 2, 2);
        assertThrows(IllegalArgumentException.class,
                () -> PoolRef.avgPoolForward(g, true, new float[25], 0, new float[9], 0));
    }

    private static float[] offsetValues(float[] x, int[] index) {
        float[] v = new float[index.length];
        for (int i = 0; i < index.length; i++) {
            v[i] = x[index[i]];
        }
        return v;
    }
}
