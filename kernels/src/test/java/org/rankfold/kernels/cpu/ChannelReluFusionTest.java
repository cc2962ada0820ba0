package org.rankfold.kernels.cpu;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.ref.ChannelRef;
import org.rankfold.kernels.testing.Arrays2;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Batch norm fused with a ReLU: {@code channelAffineRelu}, {@code channelMaskedSumsAndDots} and
 * {@code channelMaskedCombineAccumulate} of the CPU backend equal, bit for bit, the unfused kernels they
 * replace (affine then relu; reluBackward into a zeroed buffer then the plain kernel) for every vector
 * width and 1 and 2 threads, and agree with the scalar definitions in {@link ChannelRef}; so does the
 * residual add fused with its ReLU ({@code addRelu}).
 */
class ChannelReluFusionTest extends SeededTest {
    /** (n, c, hw): a vector-width multiple, an odd plane with a tail, a plane smaller than any vector. */
    private static final int[][] SHAPES = {{4, 16, 64}, {3, 5, 49}, {6, 3, 3}};

    @Test
    void affineReluEqualsAffineThenRelu() {
        SplittableRandom rng = random();
        for (int[] s : SHAPES) {
            int len = s[0] * s[1] * s[2];
            float[] x = Arrays2.withSpecials(uniform(rng, len + 2));
            float[] scale = uniform(rng, s[1]);
            float[] shift = uniform(rng, s[1]);
            float[] ref = new float[len + 1];
            ChannelRef.channelAffineRelu(s[0], s[1], s[2], x, 2, scale, shift, ref, 1);
            for (SimdWidth width : SimdWidth.values()) {
                for (int threads : new int[] {1, 2}) {
                    try (CpuBackend cpu = new CpuBackend(threads, width)) {
                        float[] unfused = new float[len + 1];
                        cpu.channelAffine(s[0], s[1], s[2], x, 2, scale, shift, unfused, 1);
                        cpu.relu(len, unfused, 1, unfused, 1);
                        float[] fused = new float[len + 1];
                        cpu.channelAffineRelu(s[0], s[1], s[2], x, 2, scale, shift, fused, 1);
                        String what = "affineRelu " + s[0] + "x" + s[1] + "x" + s[2] + " " + width + " threads " + threads;
                        assertArrayEquals(unfused, fused, what);
                        assertArrayEquals(ref, fused, what + " vs definition");
                    }
                }
            }
        }
    }

    @Test
    void maskedReductionsEqualReluBackwardThenTheReductions() {
        SplittableRandom rng = random();
        for (int[] s : SHAPES) {
            int len = s[0] * s[1] * s[2];
            float[] dy = Arrays2.withSpecials(uniform(rng, len + 1));
            // a NaN gradient would make whole sums NaN; NaN stays in the mask, where it must close the gate
            dy[dy.length / 2] = 0.25f;
            float[] mask = Arrays2.withSpecials(uniform(rng, len + 3));
            float[] xc = uniform(rng, len);
            double[] refSums = new double[s[1]];
            double[] refDots = new double[s[1]];
            ChannelRef.channelMaskedSumsAndDots(s[0], s[1], s[2], dy, 1, mask, 3, xc, 0, refSums, refDots);
            for (SimdWidth width : SimdWidth.values()) {
                for (int threads : new int[] {1, 2}) {
                    try (CpuBackend cpu = new CpuBackend(threads, width)) {
                        float[] masked = new float[len];
                        cpu.reluBackward(len, mask, 3, dy, 1, masked, 0);
                        double[] sums = new double[s[1]];
                        double[] dots = new double[s[1]];
                        cpu.channelSumsAndDots(s[0], s[1], s[2], masked, 0, xc, 0, sums, dots);
                        double[] fusedSums = new double[s[1]];
                        double[] fusedDots = new double[s[1]];
                        cpu.channelMaskedSumsAndDots(s[0], s[1], s[2], dy, 1, mask, 3, xc, 0, fusedSums, fusedDots);
                        String what = "masked sums " + s[0] + "x" + s[1] + "x" + s[2] + " " + width + " threads " + threads;
                        assertArrayEquals(sums, fusedSums, what);
                        assertArrayEquals(dots, fusedDots, what);
                        Arrays2.assertClose(what + " vs definition", refSums, fusedSums, 1e-12, 1e-12);
                        Arrays2.assertClose(what + " vs definition", refDots, fusedDots, 1e-12, 1e-12);
                    }
                }
            }
        }
    }

    @Test
    void maskedCombineEqualsReluBackwardThenCombine() {
        SplittableRandom rng = random();
        for (int[] s : SHAPES) {
            int len = s[0] * s[1] * s[2];
            float[] dy = Arrays2.withSpecials(uniform(rng, len));
            dy[dy.length / 2] = 0.25f;
            float[] mask = Arrays2.withSpecials(uniform(rng, len));
            float[] xc = uniform(rng, len + 1);
            float[] sa = uniform(rng, s[1]);
            float[] sb = uniform(rng, s[1]);
            float[] shift = uniform(rng, s[1]);
            float[] prior = uniform(rng, len + 2);
            float[] ref = prior.clone();
            ChannelRef.channelMaskedCombineAccumulate(s[0], s[1], s[2], dy, 0, mask, 0, sa, xc, 1, sb, shift, ref, 2);
            for (SimdWidth width : SimdWidth.values()) {
                for (int threads : new int[] {1, 2}) {
                    try (CpuBackend cpu = new CpuBackend(threads, width)) {
                        float[] masked = new float[len];
                        cpu.reluBackward(len, mask, 0, dy, 0, masked, 0);
                        float[] unfused = prior.clone();
                        cpu.channelCombineAccumulate(s[0], s[1], s[2], masked, 0, sa, xc, 1, sb, shift, unfused, 2);
                        float[] fused = prior.clone();
                        cpu.channelMaskedCombineAccumulate(s[0], s[1], s[2], dy, 0, mask, 0, sa, xc, 1, sb, shift,
                                fused, 2);
                        String what = "masked combine " + s[0] + "x" + s[1] + "x" + s[2] + " " + width + " threads " + threads;
                        assertArrayEquals(unfused, fused, what);
                        Arrays2.assertClose(what + " vs definition", ref, fused, 1e-6, 1e-6);
                    }
                }
            }
        }
    }

    @Test
    void addReluEqualsAddThenRelu() {
        SplittableRandom rng = random();
        for (int len : new int[] {1000, 37, 5}) {
            float[] a = Arrays2.withSpecials(uniform(rng, len + 1));
            float[] b = Arrays2.withSpecials(uniform(rng, len + 2));
            float[] ref = new float[len];
            org.rankfold.kernels.ref.ElementwiseRef.addRelu(len, a, 1, b, 2, ref, 0);
            for (SimdWidth width : SimdWidth.values()) {
                for (int threads : new int[] {1, 2}) {
                    try (CpuBackend cpu = new CpuBackend(threads, width)) {
                        float[] unfused = new float[len];
                        for (int i = 0; i < len; i++) {
                            unfused[i] = a[1 + i] + b[2 + i];
                        }
                        cpu.relu(len, unfused, 0, unfused, 0);
                        float[] fused = new float[len];
                        cpu.addRelu(len, a, 1, b, 2, fused, 0);
                        assertArrayEquals(unfused, fused, "addRelu " + len + " " + width + " threads " + threads);
                        assertArrayEquals(ref, fused, "addRelu vs definition " + len + " " + width);
                    }
                }
            }
        }
    }
}
