package org.rankfold.kernels.cpu;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.Conv2dGeometry;
import org.rankfold.kernels.Transpose;
import org.rankfold.kernels.ref.ConvGemmRef;
import org.rankfold.kernels.testing.Arrays2;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The convolution products with implicit im2col and in-place activation views ({@code convForward},
 * {@code convWeightGrad}, {@code convDataCols} of the CPU backend) against the definition
 * ({@link ConvGemmRef}) and, bit for bit, against the explicit path they replace (im2colBatch, gemm,
 * transposeBlocks on the same backend), for every vector width and 1 and 2 threads; the weight gradient of
 * the geometries the padded grid takes only against the definition (its own checks: ConvWeightGradTest).
 */
class ConvGemmTest extends SeededTest {

    /** (geometry, images, OC): tiles inside blocks, tiles straddling images, blocks narrower than a tile. */
    private record Case(Conv2dGeometry g, int images, int oc) {
    }

    private static final Case[] CASES = {
        new Case(Conv2dGeometry.square(16, 8, 8, 3, 1, 1), 5, 16),          // ResNet-20's last stage, aligned
        new Case(Conv2dGeometry.square(3, 28, 28, 3, 1, 1), 3, 16),         // 784 pixels: tiles straddle images
        new Case(Conv2dGeometry.square(5, 7, 7, 3, 2, 1), 4, 7),            // 16 pixels per image, small OC
        new Case(Conv2dGeometry.square(16, 16, 16, 1, 2, 0), 3, 32),        // projection shortcut, 1x1 stride 2
        new Case(new Conv2dGeometry(3, 9, 11, 3, 2, 1, 2, 1, 0, 2, 1), 2, 1), // rectangular, dilated, OC 1
        new Case(Conv2dGeometry.square(64, 6, 6, 3, 1, 1), 2, 200),         // K = 576 (2 k-blocks), M > MC
        new Case(Conv2dGeometry.square(32, 10, 10, 3, 1, 1), 7, 11),        // data cols with M = 288 > MC
        new Case(Conv2dGeometry.square(32, 28, 28, 3, 1, 1), 3, 32),        // padded grid in groups of 2 images
        new Case(Conv2dGeometry.square(8, 14, 14, 3, 1, 1), 3, 8),          // padded grid read in place (SmallM)
        new Case(Conv2dGeometry.square(8, 28, 28, 3, 1, 1), 3, 16),         // SmallM over 2^20 MACs: split threads
    };

    @Test
    void forwardEqualsTheExplicitPathBitForBitAndTheDefinition() {
        SplittableRandom rng = random();
        for (Case k : CASES) {
            float[] x = uniform(rng, k.images * k.g.inputSize() + 3);
            float[] w = uniform(rng, k.oc * k.g.colRows() + 2);
            int ySize = k.images * k.oc * k.g.colCols();
            float[] ref = new float[ySize + 1];
            ConvGemmRef.forward(k.g, k.images, k.oc, w, 2, x, 3, ref, 1);
            for (SimdWidth width : SimdWidth.values()) {
                for (int threads : new int[] {1, 2}) {
                    try (CpuBackend cpu = new CpuBackend(threads, width)) {
                        float[] explicit = new float[ySize + 1];
                        explicitForward(cpu, k, w, 2, x, 3, explicit, 1);
                        float[] y = new float[ySize + 1];
                        java.util.Arrays.fill(y, Float.NaN);
                        y[0] = 0f;
                        cpu.convForward(k.g, k.images, k.oc, w, 2, x, 3, y, 1);
                        assertArrayEquals(explicit, y, what("forward", k, width, threads));
                        Arrays2.assertClose(what("forward vs definition", k, width, threads), ref, y, 1e-4, 1e-4);
                    }
                }
            }
        }
    }

    @Test
    void weightGradEqualsTheExplicitPathBitForBitAndTheDefinition() {
        SplittableRandom rng = random();
        for (Case k : CASES) {
            float[] x = uniform(rng, k.images * k.g.inputSize());
            float[] dy = uniform(rng, k.images * k.oc * k.g.colCols() + 5);
            float[] prior = uniform(rng, k.oc * k.g.colRows());
            for (float beta : new float[] {0f, 1f}) {
                float[] ref = prior.clone();
                ConvGemmRef.weightGrad(k.g, k.images, k.oc, dy, 5, x, 0, beta, ref, 0);
                for (SimdWidth width : SimdWidth.values()) {
                    for (int threads : new int[] {1, 2}) {
                        try (CpuBackend cpu = new CpuBackend(threads, width)) {
                            float[] explicit = prior.clone();
                            explicitWeightGrad(cpu, k, dy, 5, x, beta, explicit);
                            float[] dw = prior.clone();
                            cpu.convWeightGrad(k.g, k.images, k.oc, dy, 5, x, 0, beta, dw, 0);
                            if (!onGrid(k.g)) {
                                // (the grid's weight gradient sums in its own order: ConvWeightGradTest)
                                assertArrayEquals(explicit, dw, what("weight grad beta " + beta, k, width, threads));
                            }
                            Arrays2.assertClose(what("weight grad vs definition", k, width, threads), ref, dw,
                                    1e-4, 1e-3);
                        }
                    }
                }
            }
        }
    }

    @Test
    void dataColsEqualTheExplicitPathBitForBitAndTheDefinition() {
        SplittableRandom rng = random();
        for (Case k : CASES) {
            float[] w = uniform(rng, k.oc * k.g.colRows());
            float[] dy = uniform(rng, k.images * k.oc * k.g.colCols() + 1);
            int colsSize = k.g.colRows() * k.images * k.g.colCols();
            float[] ref = new float[colsSize];
            ConvGemmRef.dataCols(k.g, k.images, k.oc, w, 0, dy, 1, ref, 0);
            for (SimdWidth width : SimdWidth.values()) {
                for (int threads : new int[] {1, 2}) {
                    try (CpuBackend cpu = new CpuBackend(threads, width)) {
                        float[] explicit = new float[colsSize];
                        int n = k.images * k.g.colCols();
                        float[] dyt = new float[k.oc * n];
                        cpu.transposeBlocks(k.images, k.oc, k.g.colCols(), dy, 1, dyt, 0);
                        cpu.gemm(Transpose.YES, Transpose.NO, k.g.colRows(), n, k.oc, 1f, w, 0, k.g.colRows(),
                                dyt, 0, n, 0f, explicit, 0, n);
                        float[] cols = new float[colsSize];
                        java.util.Arrays.fill(cols, Float.NaN);
                        cpu.convDataCols(k.g, k.images, k.oc, w, 0, dy, 1, cols, 0);
                        assertArrayEquals(explicit, cols, what("data cols", k, width, threads));
                        Arrays2.assertClose(what("data cols vs definition", k, width, threads), ref, cols, 1e-4, 1e-4);
                    }
                }
            }
        }
    }

    @Test
    void theDefaultsOfOtherBackendsMatchTheDefinition() {
        SplittableRandom rng = random();
        Case k = CASES[2];
        float[] x = uniform(rng, k.images * k.g.inputSize());
        float[] w = uniform(rng, k.oc * k.g.colRows());
        float[] ref = new float[k.images * k.oc * k.g.colCols()];
        ConvGemmRef.forward(k.g, k.images, k.oc, w, 0, x, 0, ref, 0);
        float[] y = new float[ref.length];
        new org.rankfold.kernels.ref.ReferenceBackend().convForward(k.g, k.images, k.oc, w, 0, x, 0, y, 0);
        Arrays2.assertClose("reference backend's default convForward", ref, y, 1e-5, 1e-6);
    }

    @Test
    void offsetsOutsideTheArraysAreRejected() {
        Case k = CASES[0];
        float[] x = new float[k.images * k.g.inputSize()];
        float[] w = new float[k.oc * k.g.colRows()];
        float[] y = new float[k.images * k.oc * k.g.colCols()];
        try (CpuBackend cpu = new CpuBackend(1, SimdWidth.SCALAR)) {
            assertThrows(IllegalArgumentException.class, () -> cpu.convForward(k.g, k.images, k.oc, w, 0, x, 1, y, 0));
            assertThrows(IllegalArgumentException.class, () -> cpu.convForward(k.g, k.images, k.oc, w, 1, x, 0, y, 0));
            assertThrows(IllegalArgumentException.class, () -> cpu.convForward(k.g, k.images, k.oc, w, 0, x, 0, y, 1));
            assertThrows(IllegalArgumentException.class,
                    () -> cpu.convDataCols(k.g, k.images, k.oc, w, 0, y, 0, new float[10], 0));
        }
    }

    private static void explicitForward(CpuBackend cpu, Case k, float[] w, int wOff, float[] x, int xOff,
                                        float[] y, int yOff) {
        int n = k.images * k.g.colCols();
        float[] cols = new float[k.g.colRows() * n];
        cpu.im2colBatch(k.g, k.images, x, xOff, cols, 0);
        float[] yt = new float[k.oc * n];
        cpu.gemm(Transpose.NO, Transpose.NO, k.oc, n, k.g.colRows(), 1f, w, wOff, k.g.colRows(), cols, 0, n,
                0f, yt, 0, n);
        cpu.transposeBlocks(k.oc, k.images, k.g.colCols(), yt, 0, y, yOff);
    }

    private static void explicitWeightGrad(CpuBackend cpu, Case k, float[] dy, int dyOff, float[] x, float beta,
                                           float[] dw) {
        int n = k.images * k.g.colCols();
        float[] dyt = new float[k.oc * n];
        cpu.transposeBlocks(k.images, k.oc, k.g.colCols(), dy, dyOff, dyt, 0);
        float[] cols = new float[k.g.colRows() * n];
        cpu.im2colBatch(k.g, k.images, x, 0, cols, 0);
        cpu.gemm(Transpose.NO, Transpose.YES, k.oc, k.g.colRows(), n, 1f, dyt, 0, n, cols, 0, n, beta, dw, 0,
                k.g.colRows());
    }

    /** The centred windows of stride 1 or 2 whose weight gradient the CPU backend takes on its padded grid. */
    private static boolean onGrid(Conv2dGeometry g) {
        return g.dilationH() == 1 && g.dilationW() == 1 && g.strideH() <= 2 && g.strideW() <= 2
                && g.kernelH() % 2 == 1 && g.kernelW() % 2 == 1 && g.padH() == g.kernelH() / 2
                && g.padW() == g.kernelW() / 2;
    }

    private static String what(String op, Case k, SimdWidth width, int threads) {
        return op + " " + k.g + " images " + k.images + " OC " + k.oc + " width " + width + " threads " + threads;
    }
}
