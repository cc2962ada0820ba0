package org.rankfold.kernels.opencl;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.Transpose;
import org.rankfold.kernels.ref.GemmRef;
import org.rankfold.kernels.testing.Arrays2;
import org.rankfold.kernels.testing.SeededTest;
import org.rankfold.kernels.testing.Tolerances;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OpenCL SGEMM vs {@link GemmRef} on awkward shapes: every transpose pair, sizes around the tile edges
 * (1, 7, 17, 33, 65 and K around tileK), leading dimensions wider than the matrices, non-zero offsets,
 * beta = 0 over NaN and beta != 0, for the device's kernel (the runtime's: {@code gemm_rows.cl} on CPU
 * devices such as PoCL, the tiled {@code gemm.cl} on GPUs) and the tiled kernel at explicit tilings.
 * Tolerance: {@link Tolerances#gemmAbs} with scale |alpha|*max|A|*max|B| (grows with K as the float
 * rounding of a K-term dot product does), plus 2 ulps of |beta|*max|C|.
 */
class ClGemmTest extends SeededTest {
    private static final Transpose[][] PAIRS = {
            {Transpose.NO, Transpose.NO}, {Transpose.NO, Transpose.YES},
            {Transpose.YES, Transpose.NO}, {Transpose.YES, Transpose.YES}};

    @Test
    void matchesReferenceOnOddSizesForEveryTransposeWithTheDeviceTiling() {
        OpenClRuntime rt = OpenClTestDevice.runtime();
        checkAll(rt, rt.gemm(), new int[] {1, 7, 17, 33, 65}, new int[] {1, 15, 16, 17, 40});
    }

    /**
     * 8x8 register blocks as in the GPU tiling (128x128x16/8x8), on a 64-wide tile that PoCL compiles
     * quickly; NN and TT between them take every load path.
     */
    @Test
    void matchesReferenceWithEightByEightRegisterBlocks() {
        OpenClRuntime rt = OpenClTestDevice.runtime();
        SplittableRandom rng = random();
        ClGemm gemm = new ClGemm(rt.programs(), rt.launcher(), rt.device(), new GemmTiling(64, 64, 8, 8, 8));
        for (Transpose t : Transpose.values()) {
            for (int m : new int[] {33, 70}) {
                for (int n : new int[] {33, 130}) {
                    for (int k : new int[] {1, 9, 17}) {
                        check(rt, gemm, rng, t, t, m, n, k, 1.25f, k == 9 ? 0.5f : 0f, k % 2, k % 3);
                    }
                }
            }
        }
    }

    @Test
    void rectangularTilingsFromTheTuningList() {
        OpenClRuntime rt = OpenClTestDevice.runtime();
        SplittableRandom rng = random();
        // Small unrolled bodies: PoCL compiles each variant in seconds, and M, N >= tile/2 keep to this tiling.
        for (GemmTiling t : List.of(new GemmTiling(32, 16, 8, 4, 2), new GemmTiling(16, 32, 4, 2, 4))) {
            ClGemm gemm = new ClGemm(rt.programs(), rt.launcher(), rt.device(), t);
            for (Transpose[] p : PAIRS) {
                check(rt, gemm, rng, p[0], p[1], 67, 45, 19, 1f, 0.5f, 1, 3);
                check(rt, gemm, rng, p[0], p[1], 17, 33, 5, 1f, 0f, 0, 0);
            }
        }
    }

    @Test
    void longReductionAndWideMatrices() {
        OpenClRuntime rt = OpenClTestDevice.runtime();
        SplittableRandom rng = random();
        for (Transpose[] p : PAIRS) {
            check(rt, rt.gemm(), rng, p[0], p[1], 40, 33, 1031, 1.5f, 0f, 0, 0);
            check(rt, rt.gemm(), rng, p[0], p[1], 129, 130, 20, 1f, 0.5f, 3, 5);
        }
    }

    @Test
    void kZeroScalesCByBeta() {
        OpenClRuntime rt = OpenClTestDevice.runtime();
        SplittableRandom rng = random();
        check(rt, rt.gemm(), rng, Transpose.NO, Transpose.NO, 5, 6, 0, 1f, 0.5f, 0, 0);
        check(rt, rt.gemm(), rng, Transpose.NO, Transpose.NO, 5, 6, 0, 1f, 0f, 0, 0);
    }

    private void checkAll(OpenClRuntime rt, ClGemm gemm, int[] mn, int[] ks) {
        SplittableRandom rng = random();
        List<String> done = new ArrayList<>();
        for (Transpose[] p : PAIRS) {
            for (int m : mn) {
                for (int n : mn) {
                    for (int k : ks) {
                        // Vary the extras so every combination of padding/offset/beta shows up somewhere.
                        int extra = (m + n + k) % 3;
                        float beta = extra == 0 ? 0f : 0.75f;
                        check(rt, gemm, rng, p[0], p[1], m, n, k, extra == 2 ? -1.25f : 1f, beta, extra, 2 * extra);
                        done.add(p[0] + "" + p[1] + m + "x" + n + "x" + k);
                    }
                }
            }
        }
        assertTrue(done.size() >= PAIRS.length * mn.length * mn.length * ks.length);
    }

    /** One case; pad widens every leading dimension, offset shifts every operand. */
    static void check(OpenClRuntime rt, ClGemm gemm, SplittableRandom rng, Transpose ta, Transpose tb,
                      int m, int n, int k, float alpha, float beta, int pad, int offset) {
        int aRows = ta.transposed() ? k : m;
        int aCols = ta.transposed() ? m : k;
        int bRows = tb.transposed() ? n : k;
        int bCols = tb.transposed() ? k : n;
        int lda = Math.max(1, aCols) + pad;
        int ldb = Math.max(1, bCols) + pad;
        int ldc = Math.max(1, n) + pad;
        float[] a = uniform(rng, offset + aRows * lda);
        float[] b = uniform(rng, offset + bRows * ldb);
        float[] c = uniform(rng, offset + m * ldc);
        if (beta == 0f) {
            java.util.Arrays.fill(c, offset, c.length, Float.NaN); // must be overwritten, not multiplied
        }
        float[] expected = c.clone();
        GemmRef.gemm(ta, tb, m, n, k, alpha, a, offset, lda, b, offset, ldb, beta, expected, offset, ldc);
        float[] actual = c.clone();
        try (DeviceBuffer da = rt.buffers().upload(a, 0, a.length);
             DeviceBuffer db = rt.buffers().upload(b, 0, b.length);
             DeviceBuffer dc = rt.buffers().upload(c, 0, c.length)) {
            gemm.gemm(ta, tb, m, n, k, alpha, da, offset, lda, db, offset, ldb, beta, dc, offset, ldc);
            dc.read(0, actual, 0, actual.length);
        }
        if (beta == 0f) {
            // The reference overwrites every element of C, so a NaN left in expected marks memory outside C
            // (gaps between rows): the kernel must leave it untouched too.
            for (int i = 0; i < expected.length; i++) {
                if (Float.isNaN(expected[i])) {
                    assertTrue(Float.isNaN(actual[i]), "gemm wrote outside C at index " + i);
                    expected[i] = actual[i] = 0;
                }
            }
        }
        double scale = Math.abs(alpha) * Arrays2.maxAbs(a) * Arrays2.maxAbs(b);
        double atol = Tolerances.gemmAbs(k, scale) + 2 * Math.ulp(1f) * Math.abs(beta) * 1.0;
        Arrays2.assertClose("gemm " + ta + tb + " M=" + m + " N=" + n + " K=" + k + " tiling " + gemm.tiling()
                + " pad " + pad + " offset " + offset + " beta " + beta, expected, actual, 0, atol);
    }
}
