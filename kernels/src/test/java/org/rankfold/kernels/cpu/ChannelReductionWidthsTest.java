package org.rankfold.kernels.cpu;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.ref.ChannelRef;
import org.rankfold.kernels.testing.Arrays2;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-channel reductions (sums, dots, sums with dots, centring with squares, and the ReLU-masked sums
 * with dots) and the vectorised element-wise maps (affine, batch norm's input gradient) give the same bits at every vector width, the scalar code included, and with 1 or 2 threads, on
 * planes with and without a tail (hw = 49, 196, 1, 7, 1024, 784) and odd n and c; and on values in [-1, 1)
 * they agree with a plain double sum to 1e-12. The bits are also compared on values spanning 2^-20..2^20,
 * whose double sums depend on their order (checked below): equal bits mean equal chains, not merely exact
 * sums.
 */
class ChannelReductionWidthsTest extends SeededTest {
    /** (n, c, hw): odd n and c, hw of ResNet/FashionNet planes, a 1x1 plane, and a plane shorter than 16. */
    private static final int[][] SHAPES = {{3, 5, 49}, {5, 3, 196}, {7, 5, 1}, {3, 7, 7}, {3, 5, 1024},
            {1, 3, 784}, {9, 1, 17}};
    private static final double TOLERANCE = 1e-12;

    @Test
    void everyWidthAndThreadCountGivesTheSameBitsAsTheScalarCode() {
        SplittableRandom rng = random();
        for (int[] s : SHAPES) {
            int len = s[0] * s[1] * s[2];
            int c = s[1];
            for (boolean wide : new boolean[] {false, true}) {
                float[] a = wide ? spread(rng, len + 3) : uniform(rng, len + 3);
                float[] b = wide ? spread(rng, len + 1) : uniform(rng, len + 1);
                float[] mask = uniform(rng, len + 2);
                float[] shift = uniform(rng, c);
                Results expected = run(SimdWidth.SCALAR, 1, s, a, b, mask, shift);
                if (!wide) {
                    checkAgainstPlainSums(s, a, b, mask, shift, expected);
                }
                compareWidths(s, a, b, mask, shift, expected);
            }
        }
    }

    private static void compareWidths(int[] s, float[] a, float[] b, float[] mask, float[] shift, Results expected) {
        int n = s[0];
        int c = s[1];
        int hw = s[2];
        for (SimdWidth width : SimdWidth.values()) {
            for (int threads : new int[] {1, 2}) {
                Results actual = run(width, threads, s, a, b, mask, shift);
                String what = n + "x" + c + "x" + hw + " " + width + " threads " + threads;
                assertArrayEquals(expected.sums, actual.sums, "channelSums " + what);
                assertArrayEquals(expected.dots, actual.dots, "channelDots " + what);
                assertArrayEquals(expected.sums, actual.pairSums, "channelSumsAndDots sums " + what);
                assertArrayEquals(expected.dots, actual.pairDots, "channelSumsAndDots dots " + what);
                assertArrayEquals(expected.squares, actual.squares, "channelCenterSquares " + what);
                assertArrayEquals(expected.centred, actual.centred, "channelCenterSquares y " + what);
                assertArrayEquals(expected.maskedSums, actual.maskedSums, "masked sums " + what);
                assertArrayEquals(expected.maskedDots, actual.maskedDots, "masked dots " + what);
                assertArrayEquals(expected.affine, actual.affine, "channelAffine " + what);
                assertArrayEquals(expected.combined, actual.combined, "channelCombineAccumulate " + what);
            }
        }
    }

    /** Guards the test above: with these values a sum in another order gives other bits. */
    @Test
    void theSumsDependOnTheirOrder() {
        float[] x = spread(random(), 3 * 5 * 1024);
        double forward = 0;
        for (float v : x) {
            forward += v;
        }
        double backward = 0;
        for (int i = x.length - 1; i >= 0; i--) {
            backward += x[i];
        }
        assertTrue(forward != backward, "forward and backward sums agree bit for bit: the values are too tame");
    }

    private record Results(double[] sums, double[] dots, double[] pairSums, double[] pairDots, double[] squares,
                           float[] centred, double[] maskedSums, double[] maskedDots, float[] affine,
                           float[] combined) {
    }

    private static Results run(SimdWidth width, int threads, int[] s, float[] a, float[] b, float[] mask,
                               float[] shift) {
        int n = s[0];
        int c = s[1];
        int hw = s[2];
        Results r = new Results(new double[c], new double[c], new double[c], new double[c], new double[c],
                new float[n * c * hw + 1], new double[c], new double[c], new float[n * c * hw],
                new float[n * c * hw + 2]);
        try (CpuBackend cpu = new CpuBackend(threads, width)) {
            cpu.channelSums(n, c, hw, a, 3, r.sums);
            cpu.channelDots(n, c, hw, a, 3, b, 1, r.dots);
            cpu.channelSumsAndDots(n, c, hw, a, 3, b, 1, r.pairSums, r.pairDots);
            cpu.channelCenterSquares(n, c, hw, a, 3, shift, r.centred, 1, r.squares);
            cpu.channelMaskedSumsAndDots(n, c, hw, a, 3, mask, 2, b, 1, r.maskedSums, r.maskedDots);
            cpu.channelAffine(n, c, hw, a, 3, shift, shift, r.affine, 0);
            System.arraycopy(b, 0, r.combined, 2, n * c * hw);
            cpu.channelCombineAccumulate(n, c, hw, a, 3, shift, mask, 2, shift, shift, r.combined, 2);
        }
        return r;
    }

    private static void checkAgainstPlainSums(int[] s, float[] a, float[] b, float[] mask, float[] shift,
                                              Results actual) {
        int n = s[0];
        int c = s[1];
        int hw = s[2];
        String what = " " + n + "x" + c + "x" + hw;
        double[] sums = new double[c];
        ChannelRef.channelSums(n, c, hw, a, 3, sums);
        Arrays2.assertClose("channelSums" + what, sums, actual.sums, TOLERANCE, TOLERANCE);
        double[] dots = new double[c];
        ChannelRef.channelDots(n, c, hw, a, 3, b, 1, dots);
        Arrays2.assertClose("channelDots" + what, dots, actual.dots, TOLERANCE, TOLERANCE);
        float[] centred = new float[n * c * hw + 1];
        ChannelRef.channelAffine(n, c, hw, a, 3, null, shift, centred, 1);
        assertArrayEquals(centred, actual.centred, "channelCenterSquares y" + what);
        double[] squares = new double[c];
        ChannelRef.channelDots(n, c, hw, centred, 1, centred, 1, squares);
        Arrays2.assertClose("channelCenterSquares" + what, squares, actual.squares, TOLERANCE, TOLERANCE);
        double[] maskedSums = new double[c];
        double[] maskedDots = new double[c];
        ChannelRef.channelMaskedSumsAndDots(n, c, hw, a, 3, mask, 2, b, 1, maskedSums, maskedDots);
        Arrays2.assertClose("masked sums" + what, maskedSums, actual.maskedSums, TOLERANCE, TOLERANCE);
        Arrays2.assertClose("masked dots" + what, maskedDots, actual.maskedDots, TOLERANCE, TOLERANCE);
        float[] affine = new float[n * c * hw];
        ChannelRef.channelAffine(n, c, hw, a, 3, shift, shift, affine, 0);
        assertArrayEquals(affine, actual.affine, "channelAffine" + what);
        float[] combined = new float[n * c * hw + 2];
        System.arraycopy(b, 0, combined, 2, n * c * hw);
        ChannelRef.channelCombineAccumulate(n, c, hw, a, 3, shift, mask, 2, shift, shift, combined, 2);
        assertArrayEquals(combined, actual.combined, "channelCombineAccumulate" + what);
    }

    /** Values in +-[2^-20, 2^20): wide enough apart that double sums of them round. */
    private static float[] spread(SplittableRandom rng, int len) {
        float[] v = new float[len];
        for (int i = 0; i < len; i++) {
            v[i] = (float) ((rng.nextDouble() * 2 - 1) * Math.scalb(1.0, rng.nextInt(-20, 20)));
        }
        return v;
    }
}
