package org.rankfold.kernels.ref;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The per-channel references on hand-computed cases; x is (N=2, C=2, HW=3). */
class ChannelRefTest {
    private static final float[] X = {
        1, 2, 3,    4, 5, 6,      // image 0: channel 0, channel 1
        7, 8, 9,    10, 11, 12};  // image 1

    @Test
    void channelSumsAddOverImagesAndPositions() {
        double[] out = {99, 99, 99};
        ChannelRef.channelSums(2, 2, 3, X, 0, out);
        assertArrayEquals(new double[] {1 + 2 + 3 + 7 + 8 + 9, 4 + 5 + 6 + 10 + 11 + 12, 99}, out);
    }

    @Test
    void channelDotsMultiplyPairwise() {
        float[] b = new float[1 + 12];
        for (int i = 0; i < 12; i++) {
            b[1 + i] = i % 2 == 0 ? 1 : -1;
        }
        double[] out = new double[2];
        ChannelRef.channelDots(2, 2, 3, X, 0, b, 1, out);
        assertArrayEquals(new double[] {1 - 2 + 3 + 7 - 8 + 9, -4 + 5 - 6 - 10 + 11 - 12}, out);
    }

    @Test
    void channelAffineScalesAndShiftsPerChannelAndAcceptsNullScale() {
        float[] y = new float[12];
        ChannelRef.channelAffine(2, 2, 3, X, 0, new float[] {2, -1}, new float[] {0.5f, 1}, y, 0);
        assertArrayEquals(new float[] {2.5f, 4.5f, 6.5f, -3, -4, -5, 14.5f, 16.5f, 18.5f, -9, -10, -11}, y);
        ChannelRef.channelAffine(2, 2, 3, X, 0, null, new float[] {1, 2}, y, 0);
        assertArrayEquals(new float[] {2, 3, 4, 6, 7, 8, 8, 9, 10, 12, 13, 14}, y);
    }

    @Test
    void biasReluAddsOneBiasPerRowAndClampsWhenAsked() {
        float[] x = {1, -2, 3, -4, 5, -6};  // 2 rows x 3 cols
        float[] y = new float[6];
        ChannelRef.biasRelu(2, 3, x, 0, new float[] {1, -1}, y, 0, false);
        assertArrayEquals(new float[] {2, -1, 4, -5, 4, -7}, y);
        ChannelRef.biasRelu(2, 3, x, 0, new float[] {1, -1}, y, 0, true);
        assertArrayEquals(new float[] {2, 0, 4, 0, 4, 0}, y);
        ChannelRef.biasRelu(2, 3, x, 0, new float[] {1, -1}, x, 0, true);  // in place
        assertArrayEquals(new float[] {2, 0, 4, 0, 4, 0}, x);
    }
}
