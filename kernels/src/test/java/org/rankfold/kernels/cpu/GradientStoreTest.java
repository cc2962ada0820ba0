package org.rankfold.kernels.cpu;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.Backend;
import org.rankfold.kernels.Conv2dGeometry;
import org.rankfold.kernels.ref.ReferenceBackend;
import org.rankfold.kernels.testing.Arrays2;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The store variants that write a gradient's first contribution ({@code reluBackwardStore},
 * {@code channelCombineStore}, {@code channelMaskedCombineStore}, {@code convDataGradStore}) give exactly what
 * their accumulating kernels give into a zeroed buffer, -0 and NaN included, for every vector width and 1 and 2
 * threads and for the reference backend's defaults; they overwrite every element of their range whatever it
 * held (here NaN), and nothing outside it.
 */
class GradientStoreTest extends SeededTest {
    /** (n, c, hw): a vector-width multiple, an odd plane with a tail, a plane smaller than any vector. */
    private static final int[][] SHAPES = {{4, 16, 64}, {3, 5, 49}, {6, 3, 3}};
    private static final int BEFORE = 3;
    private static final int AFTER = 2;

    @Test
    void storesEqualAccumulationIntoZeros() throws Exception {
        SplittableRandom rng = random();
        for (int[] s : SHAPES) {
            int n = s[0];
            int c = s[1];
            int hw = s[2];
            int len = n * c * hw;
            float[] a = Arrays2.withSpecials(uniform(rng, len));
            float[] b = uniform(rng, len);
            float[] mask = Arrays2.withSpecials(uniform(rng, len));
            mask[len / 3] = 0.5f; // a's -0 there passes the gate: accumulating gives +0, a plain copy would not
            float[] sa = uniform(rng, c);
            float[] sb = uniform(rng, c);
            float[] shift = uniform(rng, c);
            // a zero scale and shift turn a's -0 into a -0 result: the store must still give +0 there
            sb[0] = 0f;
            shift[0] = 0f;
            String shape = n + "x" + c + "x" + hw;
            for (Backend be : backends()) {
                try (AutoCloseable _ = be instanceof AutoCloseable ac ? ac : () -> { }) {
                    check("reluBackward " + shape + " " + be, len,
                            y -> be.reluBackward(len, mask, 0, a, 0, y, BEFORE),
                            y -> be.reluBackwardStore(len, mask, 0, a, 0, y, BEFORE));
                    check("combine " + shape + " " + be, len,
                            y -> be.channelCombineAccumulate(n, c, hw, a, 0, sa, b, 0, sb, shift, y, BEFORE),
                            y -> be.channelCombineStore(n, c, hw, a, 0, sa, b, 0, sb, shift, y, BEFORE));
                    check("masked combine " + shape + " " + be, len,
                            y -> be.channelMaskedCombineAccumulate(n, c, hw, a, 0, mask, 0, sa, b, 0, sb, shift, y,
                                    BEFORE),
                            y -> be.channelMaskedCombineStore(n, c, hw, a, 0, mask, 0, sa, b, 0, sb, shift, y,
                                    BEFORE));
                }
            }
        }
    }

    @Test
    void convolutionDataGradientStoreEqualsAccumulationIntoZeros() throws Exception {
        SplittableRandom rng = random();
        // C, OC, H, W, K, images: the grid path (stride 1, centred 3x3 and 5x5) and one it does not take (OC*K*K < C)
        int[][] shapes = {{8, 16, 9, 7, 3, 3}, {3, 5, 6, 6, 5, 2}, {40, 2, 5, 5, 1, 2}};
        for (int[] s : shapes) {
            Conv2dGeometry g = new Conv2dGeometry(s[0], s[2], s[3], s[4], s[4], 1, 1, s[4] / 2, s[4] / 2, 1, 1);
            int oc = s[1];
            int images = s[5];
            float[] w = uniform(rng, oc * g.colRows());
            float[] dy = uniform(rng, images * oc * g.colCols());
            // zero gradients over a whole window make the data gradient -0 where the weights are negative
            Arrays.fill(dy, 0, Math.min(dy.length, 2 * g.colCols()), -0f);
            int len = images * g.inputSize();
            for (Backend be : backends()) {
                try (AutoCloseable _ = be instanceof AutoCloseable ac ? ac : () -> { }) {
                    check("conv data gradient " + Arrays.toString(s) + " " + be, len,
                            y -> be.convDataGrad(g, images, oc, w, 0, dy, 0, y, BEFORE),
                            y -> be.convDataGradStore(g, images, oc, w, 0, dy, 0, y, BEFORE));
                }
            }
        }
    }

    private static Backend[] backends() {
        Backend[] all = new Backend[SimdWidth.values().length * 2 + 1];
        int i = 0;
        for (SimdWidth width : SimdWidth.values()) {
            for (int threads : new int[] {1, 2}) {
                all[i++] = new CpuBackend(threads, width);
            }
        }
        all[i] = new ReferenceBackend();
        return all;
    }

    /** accumulate into zeros vs store into NaN: the same bits inside the range, the guards untouched. */
    private static void check(String what, int len, Consumer<float[]> accumulate, Consumer<float[]> store) {
        float[] expected = new float[BEFORE + len + AFTER];
        Arrays.fill(expected, 0, BEFORE, 7f);
        Arrays.fill(expected, BEFORE + len, expected.length, 7f);
        accumulate.accept(expected);
        float[] stored = new float[expected.length];
        Arrays.fill(stored, Float.NaN);
        Arrays.fill(stored, 0, BEFORE, 7f);
        Arrays.fill(stored, BEFORE + len, stored.length, 7f);
        store.accept(stored);
        assertArrayEquals(expected, stored, what);
    }
}
