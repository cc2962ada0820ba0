package org.rankfold.kernels.cpu.gemm;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.GemmEpilogue;
import org.rankfold.kernels.Transpose;
import org.rankfold.kernels.cpu.SimdWidth;
import org.rankfold.kernels.cpu.WorkerPool;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The few-row path ({@link SmallM}) against the blocked path of the same configuration, bit for bit: M of
 * 1-16, K from 1 to KC, N with and without a tail after the last strip, both layouts of A, offsets and
 * padded leading dimensions, alpha/beta with beta 0 (C must not be read), every epilogue part, every width
 * (the scalar one never takes the path) and 1 or 3 threads.
 */
class SmallMTest extends SeededTest {
    private static final int[] DEPTHS = {1, 2, 3, 6, 16, 54, 144, 320};
    /** Whole strips at 512 bits (64), tails of every width, a 28x28 image plus a tail. */
    private static final int[] WIDTHS = {16, 17, 64, 65, 100, 131, 784 + 13};
    private static final float[][] ALPHA_BETA = {{1f, 0f}, {0.75f, 0f}, {0.75f, -0.5f}, {1f, 1f}, {-2f, 0.25f}};

    @Test
    void everyRowCountDepthAndTailEqualsTheBlockedPath() {
        SplittableRandom rng = random();
        int taken = 0;
        for (SimdWidth width : SimdWidth.values()) {
            for (int threads : new int[] {1, 3}) {
                try (Pair pair = new Pair(width, threads)) {
                    int call = 0;
                    for (int m = 1; m <= SmallM.MAX_M; m++) {
                        for (int k : DEPTHS) {
                            int n = WIDTHS[rng.nextInt(WIDTHS.length)];
                            Transpose ta = call % 2 == 0 ? Transpose.NO : Transpose.YES;
                            if (call % 3 == 0) {
                                pair.compareEpilogue(rng, m, n, k, ta, call % 16);
                            } else {
                                pair.compare(rng, m, n, k, ta, Transpose.NO, ALPHA_BETA[call % ALPHA_BETA.length]);
                            }
                            if (SmallM.applies(width.bits(), false, m, n, k, pair.kc())) {
                                taken++;
                            }
                            call++;
                        }
                    }
                }
            }
        }
        // the comparison means something only if the new path ran for most calls
        assertTrue(taken > 400, "SmallM took only " + taken + " calls");
    }

    @Test
    void threadedShapesEqualTheBlockedPath() {
        SplittableRandom rng = random();
        // large enough for several threads: ranks of a compressed stage on 28x28 images, with tails
        int[][] shapes = {{6, 3 * 784, 16}, {6, 2 * 784 + 9, 54}, {16, 1500, 6}, {11, 1029, 144}, {3, 900, 320}};
        for (SimdWidth width : SimdWidth.values()) {
            for (int threads : new int[] {2, 3}) {
                try (Pair pair = new Pair(width, threads)) {
                    for (int[] s : shapes) {
                        for (Transpose ta : Transpose.values()) {
                            pair.compare(rng, s[0], s[1], s[2], ta, Transpose.NO, ALPHA_BETA[2]);
                            pair.compareEpilogue(rng, s[0], s[1], s[2], ta, 15);
                        }
                    }
                }
            }
        }
    }

    @Test
    void shapesOutsideThePathStillMatch() {
        SplittableRandom rng = random();
        try (Pair pair = new Pair(SimdWidth.preferred(), 2)) {
            // B transposed, K over one k-block, M over the bound, N under one strip
            pair.compare(rng, 6, 300, 16, Transpose.NO, Transpose.YES, ALPHA_BETA[0]);
            pair.compare(rng, 6, 300, pair.kc() + 1, Transpose.NO, Transpose.NO, ALPHA_BETA[2]);
            pair.compare(rng, SmallM.MAX_M + 1, 300, 16, Transpose.YES, Transpose.NO, ALPHA_BETA[3]);
            pair.compare(rng, 6, 5, 16, Transpose.NO, Transpose.NO, ALPHA_BETA[4]);
        }
        int bits = SimdWidth.BITS_512.bits();
        assertTrue(SmallM.applies(bits, false, 8, 64, 320, 320));
        assertTrue(SmallM.applies(bits, false, 16, 64, 160, 320));
        assertFalse(SmallM.applies(bits, false, 9, 64, 161, 320), "more than 8 rows on a strip over L1");
        assertTrue(SmallM.applies(SimdWidth.BITS_256.bits(), false, 16, 64, 320, 320), "strip of 32 columns");
        assertFalse(SmallM.applies(bits, true, 8, 64, 320, 320), "B transposed");
        assertFalse(SmallM.applies(bits, false, 17, 64, 16, 320), "M over the bound");
        assertFalse(SmallM.applies(bits, false, 8, 63, 320, 320), "N under one strip");
        assertFalse(SmallM.applies(bits, false, 8, 64, 321, 320), "K over one k-block");
        assertFalse(SmallM.applies(0, false, 8, 64, 320, 320), "scalar width");
    }

    /** The same configurations with and without the few-row path, on one pool. */
    private static final class Pair implements AutoCloseable {
        private final WorkerPool pool;
        private final Gemm fast;
        private final Gemm blocked;
        private final String name;

        Pair(SimdWidth width, int threads) {
            // the configurations CpuBackend builds for this width
            GemmConfig wide = GemmConfig.forWidth(width);
            boolean w512 = width == SimdWidth.BITS_512;
            GemmConfig narrow = w512 ? wide.withKernel(new MicroKernel8x32()) : wide;
            GemmConfig small = w512 ? wide.withKernel(new MicroKernel4x32()) : narrow;
            pool = new WorkerPool(threads);
            fast = new Gemm(wide, narrow, small, pool, true);
            blocked = new Gemm(wide, narrow, small, pool, false);
            name = width + " threads=" + threads;
        }

        int kc() {
            return fast.config().kc();
        }

        void compare(SplittableRandom rng, int m, int n, int k, Transpose ta, Transpose tb, float[] alphaBeta) {
            Operands o = new Operands(rng, m, n, k, ta, tb);
            float alpha = alphaBeta[0];
            float beta = alphaBeta[1];
            float[] c = uniform(rng, o.cOff + m * o.ldc + 3);
            if (beta == 0f) {
                Arrays.fill(c, o.cOff, o.cOff + m * o.ldc, Float.NaN);
            }
            float[] expected = c.clone();
            blocked.gemm(ta, tb, m, n, k, alpha, o.a, o.aOff, o.lda, o.b, o.bOff, o.ldb, beta, expected, o.cOff, o.ldc);
            fast.gemm(ta, tb, m, n, k, alpha, o.a, o.aOff, o.lda, o.b, o.bOff, o.ldb, beta, c, o.cOff, o.ldc);
            assertSameBits(expected, c, o.what(name) + " alpha=" + alpha + " beta=" + beta);
        }

        /** parts: bit 0 scale, bit 1 bias, bit 2 residual, bit 3 ReLU. */
        void compareEpilogue(SplittableRandom rng, int m, int n, int k, Transpose ta, int parts) {
            Operands o = new Operands(rng, m, n, k, ta, Transpose.NO);
            int ldr = n + 5;
            int rOff = 4;
            GemmEpilogue ep = new GemmEpilogue(
                    (parts & 1) != 0 ? uniform(rng, m) : null,
                    (parts & 2) != 0 ? uniform(rng, m) : null,
                    (parts & 4) != 0 ? uniform(rng, rOff + m * ldr) : null, rOff, ldr,
                    (parts & 8) != 0);
            float[] c = new float[o.cOff + m * o.ldc + 3];
            Arrays.fill(c, Float.NaN);
            float[] expected = c.clone();
            blocked.gemm(ta, Transpose.NO, m, n, k, o.a, o.aOff, o.lda, o.b, o.bOff, o.ldb, expected, o.cOff, o.ldc, ep);
            fast.gemm(ta, Transpose.NO, m, n, k, o.a, o.aOff, o.lda, o.b, o.bOff, o.ldb, c, o.cOff, o.ldc, ep);
            assertSameBits(expected, c, o.what(name) + " epilogue parts=" + parts);
        }

        @Override
        public void close() {
            pool.close();
        }
    }

    /** Random operands with offsets and padded leading dimensions. */
    private static final class Operands {
        final int m;
        final int n;
        final int k;
        final Transpose ta;
        final Transpose tb;
        final int aOff;
        final int lda;
        final int bOff;
        final int ldb;
        final int cOff;
        final int ldc;
        final float[] a;
        final float[] b;

        Operands(SplittableRandom rng, int m, int n, int k, Transpose ta, Transpose tb) {
            this.m = m;
            this.n = n;
            this.k = k;
            this.ta = ta;
            this.tb = tb;
            aOff = rng.nextInt(4);
            lda = (ta.transposed() ? m : k) + rng.nextInt(3);
            bOff = rng.nextInt(4);
            ldb = (tb.transposed() ? k : n) + rng.nextInt(3);
            cOff = rng.nextInt(4);
            ldc = n + rng.nextInt(3);
            a = uniform(rng, aOff + (ta.transposed() ? k : m) * lda);
            b = uniform(rng, bOff + (tb.transposed() ? n : k) * ldb);
        }

        String what(String setup) {
            return setup + " " + m + "x" + n + "x" + k + " " + ta + "/" + tb + " lda=" + lda + " ldb=" + ldb
                    + " ldc=" + ldc + " offsets " + aOff + "/" + bOff + "/" + cOff;
        }
    }

    private static void assertSameBits(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                assertEquals(expected[i], actual[i], what + ": C index " + i + " differs from the blocked path");
                assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                        what + ": C index " + i + " has other bits than the blocked path");
            }
        }
    }
}
