package org.rankfold.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.Conv2dGeometry;
import org.rankfold.kernels.ref.ReferenceBackend;
import org.rankfold.kernels.testing.Arrays2;
import org.rankfold.kernels.testing.SeededTest;
import org.rankfold.kernels.testing.Tolerances;

/**
 * A convolution's data gradient, dx += col2im(W^T dy^T). For stride-1 convolutions with centred windows the
 * CPU backend computes it as dy convolved with the transposed, flipped weight on its padded grid: it must
 * agree with the reference's cols + col2im to rounding, add to what dx holds, give the same bits at every
 * width and thread count, and leave other geometries to the cols path.
 */
class ConvDataGradTest extends SeededTest {

    /** C, OC, H, W, KH, KW, images: 3x3 and 5x3 windows, few and many channels, odd sizes, 1x1. */
    private static final int[][] SHAPES = {
            {16, 8, 12, 12, 3, 3, 3}, {3, 16, 7, 9, 3, 3, 2}, {8, 40, 6, 6, 3, 3, 4}, {4, 6, 9, 5, 5, 3, 2},
            {24, 24, 5, 5, 1, 1, 3}, {32, 16, 14, 14, 3, 3, 2}};

    @Test
    void gridDataGradientMatchesColsAndCol2imAndAddsToDx() {
        SplittableRandom rng = random();
        for (int[] s : SHAPES) {
            Conv2dGeometry g = new Conv2dGeometry(s[0], s[2], s[3], s[4], s[5], 1, 1, s[4] / 2, s[5] / 2, 1, 1);
            int oc = s[1];
            int images = s[6];
            float[] w = uniform(rng, 3 + oc * g.colRows());
            float[] dy = uniform(rng, 2 + images * oc * g.colCols());
            float[] dx0 = uniform(rng, 5 + images * g.inputSize());
            float[] expected = dx0.clone();
            new ReferenceBackend().convDataGrad(g, images, oc, w, 3, dy, 2, expected, 5);
            float[] first = null;
            for (SimdWidth width : SimdWidth.values()) {
                for (int threads : new int[] {1, 2}) {
                    try (CpuBackend cpu = new CpuBackend(threads, width)) {
                        float[] dx = dx0.clone();
                        cpu.convDataGrad(g, images, oc, w, 3, dy, 2, dx, 5);
                        String what = java.util.Arrays.toString(s) + " " + width + " " + threads + " threads";
                        Arrays2.assertClose(what, expected, dx, 1e-5, Tolerances.gemmAbs(oc * s[4] * s[5], 1) * 4);
                        if (first == null) {
                            first = dx;
                        } else {
                            assertArrayEquals(first, dx, what + ": bits differ from the first width/thread count");
                        }
                    }
                }
            }
        }
    }

    @Test
    void theGridIsUsedWhereItPaysAndNotForOtherGeometries() {
        try (CpuBackend cpu = new CpuBackend(1, SimdWidth.preferred())) {
            assertTrue(cpu.convDataGradInPlace(Conv2dGeometry.square(16, 28, 28, 3, 1, 1), 16));
            assertTrue(!cpu.convDataGradInPlace(Conv2dGeometry.square(16, 28, 28, 3, 2, 1), 32), "stride 2");
            assertTrue(!cpu.convDataGradInPlace(new Conv2dGeometry(4, 9, 9, 3, 3, 1, 1, 2, 2, 2, 2), 4), "dilation");
            assertTrue(!cpu.convDataGradInPlace(Conv2dGeometry.square(40, 16, 16, 3, 1, 1), 2), "K' = 18 < 40");
        }
    }
}
