package org.rankfold.kernels.cpu;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.Conv2dGeometry;
import org.rankfold.kernels.GemmEpilogue;
import org.rankfold.kernels.PackedConvWeights;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Weights packed once ({@code packConvWeights}) give the convolution exactly the bits of packing them on every
 * call, at every vector width and thread count, for OC below, at and above the register tiles and depths of one
 * and several k-blocks; a handle made by another backend or of another weight is ignored (the weight passed
 * wins). The training forward, which now packs W once for all its groups of images, keeps the bits of the
 * channel-major convolution over the whole batch in one call.
 */
class PackedConvWeightsTest extends SeededTest {
    /** C, OC, H, W, K, images, stride. */
    private static final int[][] SHAPES = {
            {16, 32, 14, 14, 3, 9, 1}, {64, 64, 7, 7, 3, 6, 1}, {40, 33, 5, 9, 3, 4, 1}, {8, 17, 9, 9, 3, 3, 1},
            {3, 100, 6, 6, 5, 2, 1}, {16, 32, 14, 14, 3, 4, 2}, {32, 16, 28, 28, 3, 7, 1}};

    @Test
    void packedWeightsGiveTheSameBits() {
        SplittableRandom rng = random();
        for (int[] s : SHAPES) {
            Conv2dGeometry g = new Conv2dGeometry(s[0], s[2], s[3], s[4], s[4], s[6], s[6], s[4] / 2, s[4] / 2, 1, 1);
            int oc = s[1];
            int images = s[5];
            int k = g.colRows();
            float[] w = uniform(rng, 1 + oc * k);
            float[] other = uniform(rng, 1 + oc * k);
            int ldx = images * g.height() * g.width() + 3;
            float[] x = uniform(rng, s[0] * ldx);
            int ldy = images * g.colCols() + 2;
            float[] bias = uniform(rng, oc);
            GemmEpilogue ep = GemmEpilogue.bias(bias, true);
            for (SimdWidth width : SimdWidth.values()) {
                for (int threads : new int[] {1, 2}) {
                    try (CpuBackend cpu = new CpuBackend(threads, width);
                         CpuBackend another = new CpuBackend(threads, width)) {
                        String what = Arrays.toString(s) + " " + width + " " + threads + " threads";
                        float[] plain = new float[oc * ldy];
                        cpu.convChannelMajor(g, images, oc, w, 1, x, 0, ldx, plain, 0, ldy, ep);
                        PackedConvWeights packed = cpu.packConvWeights(oc, k, w, 1);
                        if (width != SimdWidth.SCALAR && oc <= 100) {
                            assertNotNull(packed, what + ": no packed form");
                        }
                        float[] viaPacked = new float[oc * ldy];
                        cpu.convChannelMajor(g, images, oc, w, 1, packed, x, 0, ldx, viaPacked, 0, ldy, ep);
                        assertArrayEquals(plain, viaPacked, what + ": packed once");
                        // a handle of another backend, or of another weight, is not used
                        float[] foreign = new float[oc * ldy];
                        cpu.convChannelMajor(g, images, oc, w, 1, another.packConvWeights(oc, k, w, 1), x, 0, ldx,
                                foreign, 0, ldy, ep);
                        assertArrayEquals(plain, foreign, what + ": another backend's handle");
                        float[] mismatched = new float[oc * ldy];
                        cpu.convChannelMajor(g, images, oc, w, 1, cpu.packConvWeights(oc, k, other, 1), x, 0, ldx,
                                mismatched, 0, ldy, ep);
                        assertArrayEquals(plain, mismatched, what + ": another weight's handle");
                    }
                }
            }
        }
    }

    @Test
    void groupedTrainingForwardKeepsTheBitsOfOneCall() {
        SplittableRandom rng = random();
        for (int[] s : SHAPES) {
            Conv2dGeometry g = new Conv2dGeometry(s[0], s[2], s[3], s[4], s[4], s[6], s[6], s[4] / 2, s[4] / 2, 1, 1);
            int oc = s[1];
            int images = s[5];
            int plane = g.height() * g.width();
            int outPlane = g.colCols();
            float[] w = uniform(rng, oc * g.colRows());
            float[] x = uniform(rng, images * g.inputSize());
            // the same images channel-major, for one call over the whole batch
            float[] xc = new float[images * g.inputSize()];
            for (int i = 0; i < images; i++) {
                for (int c = 0; c < s[0]; c++) {
                    System.arraycopy(x, (i * s[0] + c) * plane, xc, c * images * plane + i * plane, plane);
                }
            }
            for (SimdWidth width : SimdWidth.values()) {
                for (int threads : new int[] {1, 2}) {
                    try (CpuBackend cpu = new CpuBackend(threads, width)) {
                        if (!cpu.convGemm().gridPays(g, oc)) {
                            continue;
                        }
                        float[] grouped = new float[images * oc * outPlane];
                        cpu.convForward(g, images, oc, w, 0, x, 0, grouped, 0);
                        float[] whole = new float[images * oc * outPlane];
                        cpu.convChannelMajor(g, images, oc, w, 0, xc, 0, images * plane, whole, 0, images * outPlane,
                                GemmEpilogue.NONE);
                        float[] wholeImageMajor = new float[whole.length];
                        for (int i = 0; i < images; i++) {
                            for (int o = 0; o < oc; o++) {
                                System.arraycopy(whole, o * images * outPlane + i * outPlane, wholeImageMajor,
                                        (i * oc + o) * outPlane, outPlane);
                            }
                        }
                        assertArrayEquals(wholeImageMajor, grouped, Arrays.toString(s) + " " + width + " " + threads
                                + " threads");
                    }
                }
            }
        }
    }
}
