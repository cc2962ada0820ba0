package org.rankfold.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.Backend;
import org.rankfold.kernels.Conv2dGeometry;
import org.rankfold.kernels.GemmEpilogue;
import org.rankfold.kernels.Transpose;
import org.rankfold.kernels.ref.ReferenceBackend;
import org.rankfold.kernels.testing.Arrays2;
import org.rankfold.kernels.testing.SeededTest;
import org.rankfold.kernels.testing.Tolerances;

/**
 * The channel-major convolution with its output stage, as the inference plan calls it. For stride-1 and -2
 * convolutions with centred windows the CPU backend multiplies on a padded grid instead of an im2col matrix; every element must
 * have the bits of im2col + GEMM with the same epilogue (computed here step by step at the scalar width),
 * at every vector width and thread count, and nothing outside the output's rows may be written.
 */
class ConvChannelMajorTest extends SeededTest {

    /**
     * C, OC, H, W, KH, KW, images: one pixel, odd sizes, two k-blocks (C*9 = 360 > KC), 5x5 and 1x3/3x1
     * windows, ranks 1-3 (the small tile), OC over one packed A block (MC = 192).
     */
    private static final int[][] SHAPES = {
            {1, 1, 1, 1, 3, 3, 1}, {3, 5, 7, 7, 3, 3, 3}, {16, 16, 14, 14, 3, 3, 2}, {40, 33, 5, 9, 3, 3, 4},
            {4, 70, 6, 5, 5, 5, 2}, {2, 3, 4, 11, 1, 3, 3}, {8, 2, 9, 3, 3, 1, 5}, {3, 200, 4, 4, 3, 3, 2},
            {32, 32, 7, 7, 3, 3, 9}, {1, 12, 28, 28, 3, 3, 1}, {9, 9, 5, 5, 3, 3, 2},
            // stride 2: even and odd sizes, 3x3 (phases with a zero row and column), 1x1 (one phase), 5x3
            {16, 32, 14, 14, 3, 3, 2, 2}, {5, 7, 7, 9, 3, 3, 3, 2}, {8, 16, 9, 6, 1, 1, 2, 2},
            {3, 4, 11, 8, 5, 3, 2, 2}, {40, 20, 6, 6, 3, 3, 3, 2}};

    @Test
    void paddedGridGivesTheBitsOfIm2colAndGemm() {
        SplittableRandom rng = random();
        List<Case> cases = new ArrayList<>();
        for (int[] s : SHAPES) {
            int stride = s.length > 7 ? s[7] : 1;
            Conv2dGeometry g = new Conv2dGeometry(s[0], s[2], s[3], s[4], s[5], stride, stride, s[4] / 2, s[5] / 2,
                    1, 1);
            for (int variant = 0; variant < 4; variant++) {
                cases.add(new Case(rng, g, s[6], s[1], variant, Arrays.toString(s) + " variant " + variant));
            }
        }
        List<float[]> expected = new ArrayList<>();
        try (CpuBackend scalar = new CpuBackend(1, SimdWidth.SCALAR)) {
            for (Case c : cases) {
                expected.add(c.explicit(scalar));
                Arrays2.assertClose(c.name + " vs the reference backend", c.outputs(c.run(new ReferenceBackend())),
                        c.outputs(expected.getLast()), 1e-5, Tolerances.gemmAbs(c.g.colRows(), 1) * 4);
            }
        }
        for (SimdWidth width : SimdWidth.values()) {
            for (int threads : new int[] {1, 2}) {
                // one backend for all cases, forwards and backwards: its grid buffers are reused, so padding
                // must be zeroed on every call, not only found zero in a new array
                try (CpuBackend cpu = new CpuBackend(threads, width)) {
                    for (int pass = 0; pass < 2; pass++) {
                        for (int i = 0; i < cases.size(); i++) {
                            int at = pass == 0 ? i : cases.size() - 1 - i;
                            Case c = cases.get(at);
                            String what = c.name + ", " + width + ", " + threads + " threads";
                            c.assertSameBits(what, expected.get(at), c.run(cpu));
                            // the grid itself, also where the backend would choose im2col (shallow K, OC 9)
                            c.assertSameBits(what + ", grid", expected.get(at), c.runGrid(cpu));
                        }
                    }
                }
            }
        }
    }

    @Test
    void otherGeometriesFallBackToIm2col() {
        try (CpuBackend cpu = new CpuBackend(1, SimdWidth.preferred())) {
            assertTrue(cpu.convChannelMajorInPlace(Conv2dGeometry.square(16, 14, 14, 3, 1, 1), 16));
            assertTrue(!cpu.convChannelMajorInPlace(Conv2dGeometry.square(1, 28, 28, 3, 1, 1), 16), "K = 9 < OC");
            assertTrue(cpu.convChannelMajorInPlace(Conv2dGeometry.square(8, 28, 28, 3, 1, 1), 8), "few rows");
            assertTrue(!cpu.convChannelMajorInPlace(Conv2dGeometry.square(2, 28, 28, 3, 1, 1), 24), "K = 18, 24 rows");
            assertTrue(cpu.convChannelMajorInPlace(Conv2dGeometry.square(16, 28, 28, 3, 2, 1), 32), "stride 2");
        }
        SplittableRandom rng = random();
        Conv2dGeometry stride3 = new Conv2dGeometry(5, 9, 8, 3, 3, 3, 3, 1, 1, 1, 1);
        Conv2dGeometry unpadded = new Conv2dGeometry(3, 6, 6, 3, 3, 1, 1, 0, 0, 1, 1);
        Conv2dGeometry dilated = new Conv2dGeometry(4, 9, 9, 3, 3, 1, 1, 2, 2, 2, 2);
        for (Conv2dGeometry g : new Conv2dGeometry[] {stride3, unpadded, dilated}) {
            try (CpuBackend cpu = new CpuBackend(1, SimdWidth.preferred())) {
                assertTrue(!cpu.convChannelMajorInPlace(g, 7), g.toString());
            }
            Case c = new Case(rng, g, 3, 7, 2, g.toString());
            try (CpuBackend cpu = new CpuBackend(2, SimdWidth.preferred())) {
                c.assertSameBits(g.toString(), c.explicit(cpu), c.run(cpu));
            }
        }
    }

    @Test
    void leadingDimensionsShorterThanTheBatchAreRejected() {
        Conv2dGeometry g = Conv2dGeometry.square(2, 4, 4, 3, 1, 1);
        try (CpuBackend cpu = new CpuBackend(1, SimdWidth.preferred())) {
            float[] w = new float[3 * g.colRows()];
            float[] x = new float[2 * 2 * 16];
            float[] y = new float[3 * 2 * 16];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> cpu.convGemm().forwardOnGrid(g, 2, 3, w, 0, x, 0, 31, y, 0, 32, GemmEpilogue.NONE));
            assertTrue(e.getMessage().contains("leading dimensions"), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> cpu.convGemm().forwardOnGrid(g, 2, 3, w, 0, x, 1, 32, y, 0, 32, GemmEpilogue.NONE));
        }
    }

    /** One call's operands: x and y channel-major with padded leading dimensions and offsets. */
    private static final class Case {
        final Conv2dGeometry g;
        final int images;
        final int oc;
        final int n;
        final int ldx;
        final int ldy;
        final float[] w;
        final float[] x;
        final GemmEpilogue ep;
        final String name;
        static final int X_OFFSET = 2;
        static final int Y_OFFSET = 5;

        Case(SplittableRandom rng, Conv2dGeometry g, int images, int oc, int variant, String name) {
            this.name = name;
            this.g = g;
            this.images = images;
            this.oc = oc;
            this.n = images * g.colCols();
            this.ldx = images * g.height() * g.width() + 3;
            this.ldy = n + 4;
            this.w = uniform(rng, 1 + oc * g.colRows());
            this.x = uniform(rng, X_OFFSET + g.channels() * ldx);
            this.ep = switch (variant) {
                case 0 -> GemmEpilogue.NONE;
                case 1 -> GemmEpilogue.bias(uniform(rng, oc), true);
                case 2 -> new GemmEpilogue(uniform(rng, oc), uniform(rng, oc), uniform(rng, 3 + oc * (n + 1)), 3,
                        n + 1, true);
                default -> GemmEpilogue.biasResidual(null, uniform(rng, oc * n), 0, n, false);
            };
        }

        /** The output array (NaN outside the rows' first n columns, which must stay untouched). */
        float[] run(Backend be) {
            float[] y = new float[Y_OFFSET + oc * ldy];
            Arrays.fill(y, Float.NaN);
            be.convChannelMajor(g, images, oc, w, 1, x, X_OFFSET, ldx, y, Y_OFFSET, ldy, ep);
            return y;
        }

        /** The same call straight to the padded-grid path. */
        float[] runGrid(CpuBackend cpu) {
            float[] y = new float[Y_OFFSET + oc * ldy];
            Arrays.fill(y, Float.NaN);
            cpu.convGemm().forwardOnGrid(g, images, oc, w, 1, x, X_OFFSET, ldx, y, Y_OFFSET, ldy, ep);
            return y;
        }

        /** im2col per channel, then the GEMM with the epilogue, on be. */
        float[] explicit(Backend be) {
            int taps = g.kernelH() * g.kernelW();
            float[] cols = new float[g.colRows() * n];
            Conv2dGeometry plane = new Conv2dGeometry(1, g.height(), g.width(), g.kernelH(), g.kernelW(),
                    g.strideH(), g.strideW(), g.padH(), g.padW(), g.dilationH(), g.dilationW());
            for (int c = 0; c < g.channels(); c++) {
                be.im2colBatch(plane, images, x, X_OFFSET + c * ldx, cols, c * taps * n);
            }
            float[] y = new float[Y_OFFSET + oc * ldy];
            Arrays.fill(y, Float.NaN);
            be.gemmEpilogue(Transpose.NO, Transpose.NO, oc, n, g.colRows(), w, 1, g.colRows(), cols, 0, n,
                    y, Y_OFFSET, ldy, ep);
            return y;
        }

        float[] outputs(float[] y) {
            float[] out = new float[oc * n];
            for (int o = 0; o < oc; o++) {
                System.arraycopy(y, Y_OFFSET + o * ldy, out, o * n, n);
            }
            return out;
        }

        void assertSameBits(String what, float[] expected, float[] got) {
            for (int i = 0; i < expected.length; i++) {
                if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(got[i])) {
                    int o = (i - Y_OFFSET) / ldy;
                    int j = (i - Y_OFFSET) - o * ldy;
                    throw new AssertionError(what + ": output channel " + o + ", column " + j + ": " + got[i]
                            + " != im2col + GEMM " + expected[i]);
                }
            }
        }
    }
}
