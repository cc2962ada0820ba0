package org.rankfold.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.GemmEpilogue;
import org.rankfold.kernels.Transpose;
import org.rankfold.kernels.ref.GemmEpilogueRef;
import org.rankfold.kernels.ref.ReferenceBackend;
import org.rankfold.kernels.testing.Arrays2;
import org.rankfold.kernels.testing.SeededTest;
import org.rankfold.kernels.testing.Tolerances;

/**
 * The fused output stage of the CPU GEMM against its scalar reference: each element must be exactly the
 * reference epilogue of the fast product (the stage only runs on the last k-block, after the store), for
 * small M (ranks), small N (batch 1), several k-blocks, both transposes, any thread count and width.
 */
class GemmEpilogueTest extends SeededTest {

    /** M x N x K: ranks 1-32, N of one column and of a partial tile, K over two k-blocks, a large square. */
    private static final int[][] SHAPES = {
            {1, 100, 9}, {3, 1, 40}, {5, 37, 700}, {12, 64, 27}, {16, 784, 144}, {32, 5, 300}, {70, 300, 650}};

    @Test
    void fusedStageEqualsTheReferenceStageOfTheSameProduct() {
        SplittableRandom rng = random();
        try (CpuBackend cpu = new CpuBackend(2, SimdWidth.preferred())) {
            for (int[] s : SHAPES) {
                for (Transpose ta : Transpose.values()) {
                    for (Transpose tb : Transpose.values()) {
                        for (int variant = 0; variant < 4; variant++) {
                            check(cpu, rng, s[0], s[1], s[2], ta, tb, variant);
                        }
                    }
                }
            }
        }
    }

    private static void check(CpuBackend cpu, SplittableRandom rng, int m, int n, int k, Transpose ta, Transpose tb,
                              int variant) {
        int lda = (ta.transposed() ? m : k) + 3;
        int ldb = (tb.transposed() ? k : n) + 2;
        int ldc = n + 4;
        float[] a = uniform(rng, (ta.transposed() ? k : m) * lda);
        float[] b = uniform(rng, (tb.transposed() ? n : k) * ldb);
        GemmEpilogue ep = epilogue(rng, m, n, variant);
        float[] fused = new float[m * ldc + 7];
        java.util.Arrays.fill(fused, Float.NaN); // beta = 0: old contents must not leak in
        cpu.gemmEpilogue(ta, tb, m, n, k, a, 1, lda, b, 0, ldb, fused, 7, ldc, ep);
        float[] plain = new float[m * ldc + 7];
        cpu.gemm(ta, tb, m, n, k, 1f, a, 1, lda, b, 0, ldb, 0f, plain, 7, ldc);
        GemmEpilogueRef.apply(m, n, ep, plain, 7, ldc);
        String what = m + "x" + n + "x" + k + " " + ta + "/" + tb + " variant " + variant;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int at = 7 + i * ldc + j;
                if (Float.floatToIntBits(plain[at]) != Float.floatToIntBits(fused[at])) {
                    throw new AssertionError(what + ": element (" + i + ", " + j + ") fused " + fused[at]
                            + " != product then reference stage " + plain[at]);
                }
            }
        }
        float[] ref = new float[m * ldc + 7];
        GemmEpilogueRef.gemm(ta, tb, m, n, k, a, 1, lda, b, 0, ldb, ref, 7, ldc, ep);
        Arrays2.assertClose(what + " vs double reference", compact(ref, m, n, ldc), compact(fused, m, n, ldc),
                1e-5, Tolerances.gemmAbs(k, 1) * 4);
    }

    /** The M x N matrix at offset 7 with leading dimension ldc, without the padding between rows. */
    private static float[] compact(float[] c, int m, int n, int ldc) {
        float[] out = new float[m * n];
        for (int i = 0; i < m; i++) {
            System.arraycopy(c, 7 + i * ldc, out, i * n, n);
        }
        return out;
    }

    /** 0: nothing, 1: bias + ReLU, 2: scale + bias + residual + ReLU, 3: residual only. */
    private static GemmEpilogue epilogue(SplittableRandom rng, int m, int n, int variant) {
        int ldr = n + 1;
        return switch (variant) {
            case 0 -> GemmEpilogue.NONE;
            case 1 -> GemmEpilogue.bias(uniform(rng, m), true);
            case 2 -> new GemmEpilogue(uniform(rng, m), uniform(rng, m), uniform(rng, 3 + m * ldr), 3, ldr, true);
            default -> GemmEpilogue.biasResidual(null, uniform(rng, m * ldr), 0, ldr, false);
        };
    }

    @Test
    void everyThreadCountAndWidthGivesTheSameBits() {
        int m = 24;
        int n = 500;
        int k = 400;
        float[] expected = run(new CpuBackend(1, SimdWidth.SCALAR), m, n, k);
        for (SimdWidth w : SimdWidth.values()) {
            for (int threads : new int[] {1, 2, 3}) {
                assertArrayEquals(expected, run(new CpuBackend(threads, w), m, n, k), "width " + w + ", " + threads + " threads");
            }
        }
    }

    @Test
    void smallRankTilesGiveTheBitsOfEveryOtherTile() {
        // M of 1-4 takes the 4-row tile at 512 bits; the scalar width uses its own 4x4 kernel
        for (int m = 1; m <= 5; m++) {
            float[] expected = run(new CpuBackend(1, SimdWidth.SCALAR), m, 333, 301);
            for (SimdWidth w : SimdWidth.values()) {
                for (int threads : new int[] {1, 2}) {
                    assertArrayEquals(expected, run(new CpuBackend(threads, w), m, 333, 301),
                            "M = " + m + ", width " + w + ", " + threads + " threads");
                }
            }
        }
    }

    @Test
    void narrowProductsEqualTheSameColumnsOfAWideOne() {
        // N of 1-4 runs with vectors along M; each column must be what the tiled path gives it in a wide product.
        // M = 37 ends in a partial panel at every width; a transposed A reads it in place where the array holds
        // a whole vector from the panel's last k-step (every k-block but the last, or all of them with spare
        // floats after A, as the inference plan stores a classifier's weight), else packs it; M = 64 is whole
        // panels only (a transposed A is then read in place)
        narrowProductsMatch(37, 0);
        narrowProductsMatch(37, 16);
        narrowProductsMatch(64, 0);
    }

    private void narrowProductsMatch(int m, int spare) {
        SplittableRandom rng = random();
        int k = 700;
        int wideN = 45;
        for (Transpose ta : Transpose.values()) {
            for (Transpose tb : Transpose.values()) {
                float[] a = uniform(rng, m * k + spare);
                float[] b = uniform(rng, k * wideN);
                float[] bias = uniform(rng, m);
                float[] wide = new float[m * wideN];
                int ldb = tb.transposed() ? k : wideN;
                try (CpuBackend one = new CpuBackend(1, SimdWidth.preferred())) {
                    one.gemmEpilogue(ta, tb, m, wideN, k, a, 0, ta.transposed() ? m : k, b, 0, ldb, wide, 0, wideN,
                            GemmEpilogue.bias(bias, true));
                }
                for (SimdWidth w : SimdWidth.values()) {
                    for (int threads : new int[] {1, 2}) {
                        try (CpuBackend cpu = new CpuBackend(threads, w)) {
                            for (int n = 1; n <= 4; n++) {
                                int col0 = 3;
                                float[] c = new float[m * n];
                                int bOff = tb.transposed() ? col0 * k : col0;
                                cpu.gemmEpilogue(ta, tb, m, n, k, a, 0, ta.transposed() ? m : k, b, bOff, ldb, c, 0, n,
                                        GemmEpilogue.bias(bias, true));
                                for (int i = 0; i < m; i++) {
                                    for (int j = 0; j < n; j++) {
                                        if (Float.floatToIntBits(c[i * n + j]) != Float.floatToIntBits(wide[i * wideN + col0 + j])) {
                                            throw new AssertionError("M = " + m + ", N = " + n + " " + ta + "/" + tb
                                                    + " width " + w + ", "
                                                    + threads + " threads: (" + i + ", " + j + ") " + c[i * n + j] + " != "
                                                    + wide[i * wideN + col0 + j]);
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private float[] run(CpuBackend cpu, int m, int n, int k) {
        try (cpu) {
            SplittableRandom rng = new SplittableRandom(SEED + 5);
            float[] a = uniform(rng, m * k);
            float[] b = uniform(rng, k * n);
            GemmEpilogue ep = new GemmEpilogue(uniform(rng, m), uniform(rng, m), uniform(rng, m * n), 0, n, true);
            float[] c = new float[m * n];
            cpu.gemmEpilogue(Transpose.NO, Transpose.NO, m, n, k, a, 0, k, b, 0, n, c, 0, n, ep);
            return c;
        }
    }

    @Test
    void referenceStageFollowsTheDocumentedOrder() {
        GemmEpilogue ep = new GemmEpilogue(new float[] {2f, 0.5f}, new float[] {1f, -4f},
                new float[] {9f, 10f, 0.25f, 0.5f}, 0, 2, true);
        float[] c = {1f, -3f, 2f, Float.NaN};
        GemmEpilogueRef.apply(2, 2, ep, c, 0, 2);
        // row 0: 1*2+1+9 = 12, -3*2+1+10 = 5; row 1: 2*0.5-4+0.25 = -2.75 -> 0, NaN -> 0 (ReLU kernel's rule)
        assertArrayEquals(new float[] {12f, 5f, 0f, 0f}, c);
    }

    @Test
    void referenceBackendDefaultRunsTheReferenceStage() {
        SplittableRandom rng = random();
        int m = 6;
        int n = 9;
        int k = 11;
        float[] a = uniform(rng, m * k);
        float[] b = uniform(rng, k * n);
        GemmEpilogue ep = new GemmEpilogue(uniform(rng, m), uniform(rng, m), uniform(rng, m * n), 0, n, true);
        float[] viaBackend = new float[m * n];
        new ReferenceBackend().gemmEpilogue(Transpose.NO, Transpose.NO, m, n, k, a, 0, k, b, 0, n, viaBackend, 0, n, ep);
        float[] direct = new float[m * n];
        GemmEpilogueRef.gemm(Transpose.NO, Transpose.NO, m, n, k, a, 0, k, b, 0, n, direct, 0, n, ep);
        assertArrayEquals(direct, viaBackend);
        boolean someClipped = false;
        for (float v : direct) {
            someClipped |= v == 0f;
        }
        assertTrue(someClipped, "the ReLU should clip some of the random outputs");
    }

    @Test
    void misfitEpiloguesAreRejectedByName() {
        try (CpuBackend cpu = new CpuBackend(1)) {
            float[] a = new float[12];
            float[] b = new float[12];
            float[] c = new float[9];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cpu.gemmEpilogue(
                    Transpose.NO, Transpose.NO, 3, 3, 4, a, 0, 4, b, 0, 3, c, 0, 3, GemmEpilogue.bias(new float[2], false)));
            assertTrue(e.getMessage().contains("rowBias"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> cpu.gemmEpilogue(Transpose.NO, Transpose.NO, 3, 3, 4,
                    a, 0, 4, b, 0, 3, c, 0, 3, GemmEpilogue.biasResidual(null, new float[8], 0, 3, false)));
            assertTrue(e.getMessage().contains("residual"), e.getMessage());
        }
    }
}
