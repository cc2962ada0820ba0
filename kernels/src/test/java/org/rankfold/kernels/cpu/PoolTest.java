package org.rankfold.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.Conv2dGeometry;
import org.rankfold.kernels.ref.PoolRef;

/**
 * The max pool's unpadded fast path (2x2 unrolled, other windows without bounds tests) against the reference,
 * with NaN and ties in the input: values and argmax must be identical, at one and several threads.
 */
class PoolTest {
    private static final Conv2dGeometry[] GEOMETRIES = {
        Conv2dGeometry.square(5, 28, 28, 2, 2, 0),
        Conv2dGeometry.square(3, 14, 14, 2, 2, 0),
        Conv2dGeometry.square(2, 4, 64, 2, 2, 0),
        Conv2dGeometry.square(2, 4, 66, 2, 2, 0),
        Conv2dGeometry.square(2, 6, 70, 2, 2, 0),
        Conv2dGeometry.square(2, 5, 71, 2, 2, 0),
        Conv2dGeometry.square(3, 7, 9, 2, 2, 0),
        Conv2dGeometry.square(4, 6, 8, 2, 1, 0),
        Conv2dGeometry.square(3, 9, 9, 3, 2, 0),
        Conv2dGeometry.square(2, 10, 7, 3, 3, 0),
        new Conv2dGeometry(3, 8, 9, 2, 3, 2, 1, 0, 0, 1, 1),
        new Conv2dGeometry(2, 9, 9, 2, 2, 2, 2, 0, 0, 2, 2),
        Conv2dGeometry.square(3, 9, 9, 3, 2, 1),
        // enough floats that 3 threads split the planes (the shapes above run on one)
        Conv2dGeometry.square(96, 28, 28, 2, 2, 0),
    };

    @Test
    void aCallForksOnlyForEnoughFloatsPerThread() {
        // resnet20's 7x7 average pool at batch 1: 64 planes of 49 floats stay on one thread
        Conv2dGeometry avg7 = Conv2dGeometry.square(64, 7, 7, 7, 7, 0);
        assertTrue(Pool.minPlanes(avg7) * 49L >= WorkerPool.MIN_FLOATS_PER_PART);
        assertTrue(64 < 2 * Pool.minPlanes(avg7), "64 planes of 7x7 must not be split");
        Conv2dGeometry split = GEOMETRIES[GEOMETRIES.length - 1];
        assertTrue(split.channels() >= 2 * Pool.minPlanes(split), "the last test shape must be split");
        assertEquals(8, Pool.minPlanes(Conv2dGeometry.square(1, 512, 512, 2, 2, 0)), "at least 8 planes");
    }

    @Test
    void unpaddedMaxPoolEqualsReferenceWithNanAndTies() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int threads : new int[] {1, 3}) {
            try (WorkerPool pool = new WorkerPool(threads)) {
                for (Conv2dGeometry g : GEOMETRIES) {
                    for (int kind = 0; kind < 3; kind++) {
                        float[] x = new float[3 + g.inputSize()];
                        for (int i = 0; i < x.length; i++) {
                            x[i] = kind == 1 ? rng.nextInt(3) - 1 : (float) (rng.nextDouble() * 2 - 1);
                            if (kind == 2 && rng.nextInt(6) == 0) {
                                x[i] = Float.NaN;
                            }
                        }
                        int out = g.channels() * g.outHeight() * g.outWidth();
                        float[] yRef = new float[out];
                        int[] argRef = new int[out];
                        float[] y = new float[1 + out];
                        int[] arg = new int[2 + out];
                        PoolRef.maxPoolForward(g, x, 3, yRef, 0, argRef, 0);
                        for (SimdWidth w : SimdWidth.values()) {
                            Arrays.fill(y, 0f);
                            Arrays.fill(arg, 0);
                            Pool.maxForward(pool, w, g, x, 3, y, 1, arg, 2);
                            String what = g + " input kind " + kind + " threads " + threads + " width " + w;
                            assertArrayEquals(yRef, Arrays.copyOfRange(y, 1, 1 + out), what);
                            assertArrayEquals(argRef, Arrays.copyOfRange(arg, 2, 2 + out), what);
                        }
                    }
                }
            }
        }
    }

    @Test
    void valuesWithoutIndicesEqualTheIndexedPool() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int threads : new int[] {1, 3}) {
            try (WorkerPool pool = new WorkerPool(threads); CpuBackend be = new CpuBackend(threads)) {
                for (Conv2dGeometry g : GEOMETRIES) {
                    for (int kind = 0; kind < 3; kind++) {
                        float[] x = new float[3 + g.inputSize()];
                        for (int i = 0; i < x.length; i++) {
                            // no -0 in the input: Math.max may pick +0 where the indexed loop keeps -0
                            x[i] = kind == 1 ? rng.nextInt(3) - 1 + 0f : (float) (rng.nextDouble() * 2 - 1);
                            if (kind == 2 && rng.nextInt(6) == 0) {
                                x[i] = Float.NaN;
                            }
                        }
                        int out = g.channels() * g.outHeight() * g.outWidth();
                        float[] yRef = new float[out];
                        PoolRef.maxPoolForward(g, x, 3, yRef, 0, new int[out], 0);
                        float[] y = new float[2 + out];
                        be.maxPoolValues(g, x, 3, y, 2);
                        String what = g + " input kind " + kind + " threads " + threads;
                        assertArrayEquals(yRef, Arrays.copyOfRange(y, 2, 2 + out), what);
                        if (g.padH() == 0 && g.dilationH() == 1 && g.dilationW() == 1) {
                            for (SimdWidth w : SimdWidth.values()) {
                                Arrays.fill(y, 0f);
                                Pool.maxValues(pool, w, g, x, 3, y, 2);
                                assertArrayEquals(yRef, Arrays.copyOfRange(y, 2, 2 + out), what + " width " + w);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void globalAveragesEqualTheReferenceBitForBit() {
        SplittableRandom rng = new SplittableRandom(13);
        // plane counts around the eight-plane groups, and windows that do not cover the plane (the general loop)
        Conv2dGeometry[] geometries = {
            Conv2dGeometry.square(1, 7, 7, 7, 1, 0),
            Conv2dGeometry.square(7, 7, 7, 7, 1, 0),
            Conv2dGeometry.square(13, 8, 8, 8, 8, 0),
            Conv2dGeometry.square(17, 7, 7, 7, 1, 0),
            new Conv2dGeometry(9, 3, 5, 3, 5, 1, 1, 0, 0, 1, 1),
            Conv2dGeometry.square(6, 7, 7, 7, 1, 1),
            Conv2dGeometry.square(5, 8, 8, 7, 1, 0),
        };
        for (int threads : new int[] {1, 3}) {
            try (WorkerPool pool = new WorkerPool(threads)) {
                for (Conv2dGeometry g : geometries) {
                    float[] x = new float[2 + g.inputSize()];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (float) (rng.nextDouble() * 2e3 - 1e3) * (i % 5 == 0 ? 1e-4f : 1f);
                    }
                    int out = g.channels() * g.outHeight() * g.outWidth();
                    for (boolean includePad : new boolean[] {true, false}) {
                        float[] yRef = new float[out];
                        PoolRef.avgPoolForward(g, includePad, x, 2, yRef, 0);
                        float[] y = new float[1 + out];
                        Pool.avgForward(pool, g, includePad, x, 2, y, 1);
                        assertArrayEquals(yRef, Arrays.copyOfRange(y, 1, 1 + out),
                                g + " includePad " + includePad + " threads " + threads);
                    }
                }
            }
        }
    }
}
