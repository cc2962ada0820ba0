package org.rankfold.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.Conv2dGeometry;
import org.rankfold.kernels.ref.ConvGemmRef;
import org.rankfold.kernels.testing.Arrays2;
import org.rankfold.kernels.testing.SeededTest;
import org.rankfold.kernels.testing.Tolerances;

/**
 * A convolution's weight gradient on the CPU backend's padded grid (centred windows, stride 1 or 2): it must
 * agree with the definition to rounding, overwrite (beta 0) or add to (beta 1) what dw holds, touch nothing
 * outside dw's rows, and give the same bits at every vector width and thread count.
 */
class ConvWeightGradTest extends SeededTest {

    /**
     * C, OC, H, W, KH, KW, stride, images: OC below, at and past the 16-channel lane groups and their pairs
     * (1, 7, 16, 17, 33, 64, 100), a rank-1 first layer (K = 9, a partial row quadruple), 5x3 windows, stride 2 with
     * 3x3 and 1x1 (the projection shortcut), and 128 channels at 28x28 (several groups of images).
     */
    private static final int[][] SHAPES = {
            {16, 16, 14, 14, 3, 3, 1, 3}, {1, 16, 28, 28, 3, 3, 1, 2}, {3, 7, 9, 7, 3, 3, 1, 4},
            {8, 33, 6, 6, 3, 3, 1, 3}, {5, 17, 8, 11, 5, 3, 1, 2}, {32, 64, 7, 7, 3, 3, 1, 5},
            {16, 32, 14, 14, 3, 3, 2, 3}, {16, 32, 14, 14, 1, 1, 2, 3}, {7, 1, 9, 9, 3, 3, 2, 2},
            {6, 100, 5, 5, 3, 3, 1, 2},
            {128, 16, 28, 28, 3, 3, 1, 5}};

    @Test
    void gridWeightGradientMatchesTheDefinitionWithTheSameBitsEverywhere() {
        SplittableRandom rng = random();
        for (int[] s : SHAPES) {
            Conv2dGeometry g = new Conv2dGeometry(s[0], s[2], s[3], s[4], s[5], s[6], s[6], s[4] / 2, s[5] / 2, 1, 1);
            int oc = s[1];
            int images = s[7];
            float[] x = uniform(rng, 3 + images * g.inputSize());
            float[] dy = uniform(rng, 2 + images * oc * g.colCols());
            int size = oc * g.colRows();
            float[] prior = uniform(rng, 4 + size + 3);
            for (float beta : new float[] {0f, 1f}) {
                float[] expected = prior.clone();
                ConvGemmRef.weightGrad(g, images, oc, dy, 2, x, 3, beta, expected, 4);
                float[] first = null;
                for (SimdWidth width : SimdWidth.values()) {
                    for (int threads : new int[] {1, 2}) {
                        try (CpuBackend cpu = new CpuBackend(threads, width)) {
                            float[] dw = prior.clone();
                            cpu.convWeightGrad(g, images, oc, dy, 2, x, 3, beta, dw, 4);
                            String what = Arrays.toString(s) + " beta " + beta + " " + width + " " + threads
                                    + " threads";
                            Arrays2.assertClose(what, expected, dw, 1e-4,
                                    Tolerances.gemmAbs(images * g.colCols(), 1) * 4);
                            assertArrayEquals(Arrays.copyOfRange(prior, 0, 4), Arrays.copyOfRange(dw, 0, 4), what);
                            assertArrayEquals(Arrays.copyOfRange(prior, 4 + size, prior.length),
                                    Arrays.copyOfRange(dw, 4 + size, dw.length), what);
                            if (first == null) {
                                first = dw;
                            } else {
                                assertArrayEquals(first, dw, what + ": bits differ from the first width/thread count");
                            }
                        }
                    }
                }
            }
        }
    }
}
