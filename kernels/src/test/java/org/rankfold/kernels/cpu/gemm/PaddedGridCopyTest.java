package org.rankfold.kernels.cpu.gemm;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.Conv2dGeometry;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The grid filled with 512-bit row copies equals the grid filled row by row with scalar code, every float of it
 * (data, zero rows and columns), whatever the buffer held before (NaN here): rows of 28, 14, 7, 16, 17 and 5
 * floats, 3x3, 1x1 and 5x5 windows (the 5x5's wider gap takes the scalar path), stride 2 (phase planes, scalar),
 * one and several images, images with a stride larger than their size; and the output gathered from a product
 * over the grid's columns with 512-bit rows equals the scalar gather in each mode (copy, add, add to zero).
 */
class PaddedGridCopyTest extends SeededTest {
    /** C, H, W, K, stride, images. */
    private static final int[][] SHAPES = {
            {3, 28, 28, 3, 1, 2}, {2, 14, 14, 3, 1, 3}, {4, 7, 7, 3, 1, 5}, {1, 16, 16, 3, 1, 1},
            {2, 9, 17, 3, 1, 2}, {3, 5, 5, 1, 1, 2}, {2, 6, 16, 1, 1, 3}, {2, 8, 8, 5, 1, 2}, {2, 14, 14, 3, 2, 2}};

    @Test
    void vectorRowsGiveTheScalarGrid() {
        SplittableRandom rng = random();
        for (int[] s : SHAPES) {
            Conv2dGeometry g = new Conv2dGeometry(s[0], s[1], s[2], s[3], s[3], s[4], s[4], s[3] / 2, s[3] / 2, 1, 1);
            int images = s[5];
            int imageStride = g.inputSize() + 5;
            float[] x = uniform(rng, 2 + images * imageStride);
            PaddedGrid grid = new PaddedGrid(g, images);
            float[] scalar = new float[grid.size() + 3];
            Arrays.fill(scalar, Float.NaN);
            grid.fill(0, x, 2, imageStride, g.height() * g.width(), scalar);
            float[] vector = new float[grid.size() + 3];
            Arrays.fill(vector, Float.NaN);
            grid.fill(512, x, 2, imageStride, g.height() * g.width(), vector);
            assertArrayEquals(scalar, vector, Arrays.toString(s));
            for (int i = 0; i < grid.size(); i++) {
                if (Float.isNaN(scalar[i])) {
                    throw new AssertionError(Arrays.toString(s) + ": grid float " + i + " not written");
                }
            }
        }
    }

    @Test
    void vectorGatherGivesTheScalarOutputInEveryMode() {
        SplittableRandom rng = random();
        for (int[] s : SHAPES) {
            Conv2dGeometry g = new Conv2dGeometry(s[0], s[1], s[2], s[3], s[3], s[4], s[4], s[3] / 2, s[3] / 2, 1, 1);
            int images = s[5];
            int rows = 3;
            PaddedGrid grid = new PaddedGrid(g, images);
            float[] product = uniform(rng, rows * grid.columns);
            product[product.length / 2] = -0f;
            int outPlane = g.outHeight() * g.outWidth();
            int imageStride = rows * outPlane + 4;
            float[] prior = uniform(rng, 1 + images * imageStride);
            prior[prior.length / 3] = -0f;
            for (PaddedGrid.Gather mode : PaddedGrid.Gather.values()) {
                float[] scalar = prior.clone();
                grid.gather(0, rows, product, scalar, 1, imageStride, outPlane, mode);
                float[] vector = prior.clone();
                grid.gather(512, rows, product, vector, 1, imageStride, outPlane, mode);
                assertArrayEquals(scalar, vector, Arrays.toString(s) + " " + mode);
            }
        }
    }
}
