package org.rankfold.kernels.cpu;

import java.util.Arrays;

/** {@link LaneSums}' chains in plain Java, one double per chain: the definition the vector widths match. */
final class LaneSumsScalar {
    private static final int MASK = LaneSums.LANES - 1;

    private LaneSumsScalar() {
    }

    static void sums(int n, int c, int hw, int ch, float[] x, int xOffset, LaneSums.Scratch s) {
        double[] l = s.lanes;
        Arrays.fill(l, 0, LaneSums.LANES, 0.0);
        for (int i = 0; i < n; i++) {
            int xi = xOffset + (i * c + ch) * hw;
            for (int j = 0; j < hw; j++) {
                l[j & MASK] += x[xi + j];
            }
        }
    }

    static void sumsAndDots(int n, int c, int hw, int ch, float[] a, int aOffset, float[] mask, int maskOffset,
                            float[] b, int bOffset, LaneSums.Scratch s) {
        double[] l = s.lanes;
        Arrays.fill(l, 0.0);
        for (int i = 0; i < n; i++) {
            int row = (i * c + ch) * hw;
            int ai = aOffset + row;
            int bi = bOffset + row;
            int mi = maskOffset + row;
            for (int j = 0; j < hw; j++) {
                float av = mask == null ? a[ai + j] : mask[mi + j] > 0f ? 0f + a[ai + j] : 0f;
                l[j & MASK] += av;
                l[LaneSums.LANES + (j & MASK)] += (double) av * b[bi + j];
            }
        }
    }

    static void centerSquares(int n, int c, int hw, int ch, float[] x, int xOffset, float t, float[] y, int yOffset,
                              LaneSums.Scratch s) {
        double[] l = s.lanes;
        Arrays.fill(l, 0, LaneSums.LANES, 0.0);
        for (int i = 0; i < n; i++) {
            int row = (i * c + ch) * hw;
            int xi = xOffset + row;
            int yi = yOffset + row;
            for (int j = 0; j < hw; j++) {
                float v = x[xi + j] + t;
                y[yi + j] = v;
                l[j & MASK] += (double) v * v;
            }
        }
    }
}
