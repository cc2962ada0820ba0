package org.rankfold.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.Conv2dGeometry;
import org.rankfold.kernels.ref.ReferenceBackend;

/**
 * The CPU backend's im2col of channel-major images (one split over all (channel, image) pairs, and the strided
 * 1x1 window's own loop) against the reference backend's per-channel im2col, at one and several threads; the
 * images sit at an offset with a channel stride larger than the batch, as in the plan's sub-batches.
 */
class Im2colChannelMajorTest {
    private static final Conv2dGeometry[] GEOMETRIES = {
        new Conv2dGeometry(16, 28, 28, 1, 1, 2, 2, 0, 0, 1, 1),
        new Conv2dGeometry(5, 7, 9, 1, 1, 2, 3, 0, 0, 1, 1),
        new Conv2dGeometry(3, 6, 6, 1, 1, 1, 1, 0, 0, 1, 1),
        new Conv2dGeometry(4, 8, 8, 1, 1, 2, 2, 1, 1, 1, 1),
        new Conv2dGeometry(6, 14, 14, 3, 3, 2, 2, 1, 1, 1, 1),
        new Conv2dGeometry(2, 9, 7, 3, 3, 1, 1, 1, 1, 1, 1),
        new Conv2dGeometry(3, 10, 11, 3, 2, 1, 2, 2, 0, 2, 1),
    };

    @Test
    void equalsThePerChannelReference() {
        SplittableRandom rng = new SplittableRandom(5);
        ReferenceBackend ref = new ReferenceBackend();
        for (int threads : new int[] {1, 3}) {
            try (CpuBackend be = new CpuBackend(threads)) {
                for (Conv2dGeometry g : GEOMETRIES) {
                    for (int images : new int[] {1, 5}) {
                        int plane = g.height() * g.width();
                        int ldx = images * plane + 3;
                        int xOffset = 2;
                        float[] x = new float[xOffset + g.channels() * ldx];
                        for (int i = 0; i < x.length; i++) {
                            x[i] = (float) rng.nextDouble();
                        }
                        int size = g.colRows() * images * g.colCols();
                        float[] expected = new float[size + 4];
                        float[] actual = new float[size + 4];
                        Arrays.fill(expected, -1f);
                        Arrays.fill(actual, -1f);
                        ref.im2colChannelMajor(g, images, x, xOffset, ldx, expected, 1);
                        be.im2colChannelMajor(g, images, x, xOffset, ldx, actual, 1);
                        assertArrayEquals(expected, actual, g + " images " + images + " threads " + threads);
                    }
                }
            }
        }
    }
}
