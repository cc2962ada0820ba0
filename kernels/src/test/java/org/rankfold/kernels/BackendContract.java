package org.rankfold.kernels;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rankfold.kernels.ref.ChannelRef;
import org.rankfold.kernels.ref.ElementwiseRef;
import org.rankfold.kernels.ref.GemmRef;
import org.rankfold.kernels.ref.Im2colRef;
import org.rankfold.kernels.ref.LayoutRef;
import org.rankfold.kernels.ref.PoolRef;
import org.rankfold.kernels.ref.SoftmaxCrossEntropyRef;
import org.rankfold.kernels.testing.Arrays2;
import org.rankfold.kernels.testing.SeededTest;
import org.rankfold.kernels.testing.Tolerances;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What every {@link Backend} must do, checked against the scalar references in {@code ref} over awkward
 * sizes: every GEMM variant, alpha/beta cases, leading dimensions wider than the matrix, offsets, beta = 0
 * over NaN, untouched memory around C; im2col/col2im over strides, paddings and dilations; pooling with
 * ties; per-channel and element-wise ops; the loss. A backend's test is a short subclass.
 *
 * <p>Subclasses may widen the GEMM sweep to their blocking through {@link #tileRows()}, {@link #tileCols()}
 * and {@link #blockDepth()}: sizes 1..2*MR+1 and 1..2*NR+1, depths 1, KC-1, KC, KC+1.
 */
public abstract class BackendContract extends SeededTest {
    /** Poison for memory a kernel must not touch. */
    private static final float SENTINEL = -12345.5f;

    protected Backend backend;

    /** A fresh backend for one test. */
    protected abstract Backend createBackend();

    /** MR of the backend's register tile (for the edge sweep); 4 when it has none. */
    protected int tileRows() {
        return 4;
    }

    /** NR of the backend's register tile; 8 when it has none. */
    protected int tileCols() {
        return 8;
    }

    /** KC of the backend's k-blocking; 16 when it has none. */
    protected int blockDepth() {
        return 16;
    }

    @BeforeEach
    void createTheBackend() {
        backend = createBackend();
    }

    @AfterEach
    void closeTheBackend() throws Exception {
        if (backend instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    // ---------------------------------------------------------------- GEMM

    @Test
    void gemmMatchesReferenceOnOddSizesInEveryVariant() {
        SplittableRandom rng = random();
        int[] sizes = {1, 2, 7, 17, 33};
        int[] widths = {1, 2, 7, 17, 33, 65};
        int cases = 0;
        for (Transpose ta : Transpose.values()) {
            for (Transpose tb : Transpose.values()) {
                for (int m : sizes) {
                    for (int n : widths) {
                        for (int k : sizes) {
                            checkGemm(rng, ta, tb, m, n, k, cases++);
                        }
                    }
                }
            }
        }
    }

    @Test
    void gemmMatchesReferenceAcrossRegisterTileAndBlockEdges() {
        SplittableRandom rng = random();
        int mr = tileRows();
        int nr = tileCols();
        int kc = blockDepth();
        int[] depths = {1, kc - 1, kc, kc + 1};
        int[] widths = {1, nr - 1, nr, nr + 1, 2 * nr - 1, 2 * nr + 1};
        int cases = 0;
        for (int m = 1; m <= 2 * mr + 1; m++) {
            for (int n : widths) {
                for (int k : depths) {
                    Transpose ta = Transpose.values()[cases % 2];
                    Transpose tb = Transpose.values()[(cases / 2) % 2];
                    checkGemm(rng, ta, tb, m, Math.max(1, n), Math.max(1, k), cases++);
                }
            }
        }
        // every column count at one depth
        for (int n = 1; n <= 2 * nr + 1; n++) {
            checkGemm(rng, Transpose.NO, Transpose.NO, mr + 1, n, kc + 1, cases++);
        }
    }

    @Test
    void gemmMatchesReferenceOnLargeSizesInEveryVariant() {
        SplittableRandom rng = random();
        int[][] shapes = {{1031, 67, 129}, {37, 1029, 65}, {127, 129, 1100}, {1, 1000, 33}, {65, 1, 1001}};
        int cases = 0;
        for (Transpose ta : Transpose.values()) {
            for (Transpose tb : Transpose.values()) {
                for (int[] s : shapes) {
                    checkGemm(rng, ta, tb, s[0], s[1], s[2], cases++);
                }
            }
        }
    }

    @Test
    void gemmWithBetaZeroOverwritesNaN() {
        SplittableRandom rng = random();
        int m = 19;
        int n = 37;
        int k = 23;
        float[] a = uniform(rng, m * k);
        float[] b = uniform(rng, k * n);
        float[] c = new float[m * n];
        Arrays.fill(c, Float.NaN);
        float[] expected = new float[m * n];
        GemmRef.gemm(Transpose.NO, Transpose.NO, m, n, k, 1.5f, a, 0, k, b, 0, n, 0f, expected, 0, n);
        backend.gemm(Transpose.NO, Transpose.NO, m, n, k, 1.5f, a, 0, k, b, 0, n, 0f, c, 0, n);
        Arrays2.assertClose("gemm beta=0 over NaN", expected, c, 0, Tolerances.gemmAbs(k, 1.5));
    }

    @Test
    void gemmIsDeterministic() {
        SplittableRandom rng = random();
        int m = 150;
        int n = 301;
        int k = 277;
        float[] a = uniform(rng, m * k);
        float[] b = uniform(rng, k * n);
        float[] c1 = uniform(rng, m * n);
        float[] c2 = c1.clone();
        backend.gemm(Transpose.NO, Transpose.YES, m, n, k, 0.5f, a, 0, k, transposeCopy(b, k, n), 0, k, 2f, c1, 0, n);
        backend.gemm(Transpose.NO, Transpose.YES, m, n, k, 0.5f, a, 0, k, transposeCopy(b, k, n), 0, k, 2f, c2, 0, n);
        assertArrayEquals(c1, c2, "the same call twice must give the same bits");
    }

    @Test
    void gemmRejectsOperandsThatDoNotFit() {
        float[] a = new float[6];
        float[] b = new float[6];
        float[] c = new float[4];
        assertThrows(IllegalArgumentException.class,
                () -> backend.gemm(Transpose.NO, Transpose.NO, 2, 2, 3, 1f, a, 1, 3, b, 0, 2, 0f, c, 0, 2));
        assertThrows(IllegalArgumentException.class,
                () -> backend.gemm(Transpose.NO, Transpose.NO, 2, 2, 3, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2));
        assertThrows(IllegalArgumentException.class,
                () -> backend.gemm(Transpose.NO, Transpose.NO, 2, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 3));
    }

    /**
     * One random case: leading dimensions 0..3 wider than needed, random offsets, alpha/beta cycling over
     * (1, 0), (-0.5, 1), (2, -0.75), (1, 0) with NaN in C; memory around C must keep its sentinel.
     */
    private void checkGemm(SplittableRandom rng, Transpose ta, Transpose tb, int m, int n, int k, int index) {
        int aRows = ta.transposed() ? k : m;
        int aCols = ta.transposed() ? m : k;
        int bRows = tb.transposed() ? n : k;
        int bCols = tb.transposed() ? k : n;
        int lda = aCols + rng.nextInt(4);
        int ldb = bCols + rng.nextInt(4);
        int ldc = n + rng.nextInt(4);
        int aOff = rng.nextInt(3);
        int bOff = rng.nextInt(3);
        int cOff = rng.nextInt(3);
        float[] a = uniform(rng, aOff + (aRows - 1) * lda + aCols + rng.nextInt(2));
        float[] b = uniform(rng, bOff + (bRows - 1) * ldb + bCols + rng.nextInt(2));
        float[][] alphaBeta = {{1f, 0f}, {-0.5f, 1f}, {2f, -0.75f}, {1f, 0f}};
        float alpha = alphaBeta[index % 4][0];
        float beta = alphaBeta[index % 4][1];
        int cLen = cOff + (m - 1) * ldc + n + 2;
        float[] c = new float[cLen];
        Arrays.fill(c, SENTINEL);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                c[cOff + i * ldc + j] = index % 4 == 3 ? Float.NaN : (float) (rng.nextDouble() * 2 - 1);
            }
        }
        float[] expected = c.clone();
        GemmRef.gemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, expected, cOff, ldc);
        backend.gemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        double scale = Math.abs(alpha) + Math.abs(beta);
        String what = String.format("gemm %s%s M=%d N=%d K=%d lda=%d ldb=%d ldc=%d alpha=%s beta=%s",
                ta == Transpose.YES ? "T" : "N", tb == Transpose.YES ? "T" : "N", m, n, k, lda, ldb, ldc, alpha, beta);
        Arrays2.assertClose(what, expected, c, 0, Tolerances.gemmAbs(k, scale));
        for (int i = 0; i < cLen; i++) {
            int rel = i - cOff;
            boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
            if (!inside && Float.floatToRawIntBits(c[i]) != Float.floatToRawIntBits(SENTINEL)) {
                fail(what + ": wrote outside C at index " + i + " (value " + c[i] + ")");
            }
        }
    }

    protected static float[] transposeCopy(float[] x, int rows, int cols) {
        float[] t = new float[x.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = x[i * cols + j];
            }
        }
        return t;
    }

    // ---------------------------------------------------------------- convolution helpers

    /** Geometries: (C, H, W, KH, KW, SH, SW, PH, PW, DH, DW). */
    private static final int[][] CONV_GEOMETRIES = {
        {1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1},
        {3, 5, 7, 3, 3, 1, 1, 1, 1, 1, 1},
        {2, 9, 7, 3, 3, 2, 2, 1, 1, 1, 1},
        {4, 8, 8, 1, 1, 1, 1, 0, 0, 1, 1},
        {3, 7, 9, 3, 2, 2, 1, 0, 1, 1, 1},
        {2, 11, 10, 3, 3, 1, 2, 2, 2, 2, 2},
        {5, 6, 6, 5, 5, 1, 1, 2, 2, 1, 1},
        {9, 14, 14, 3, 3, 1, 1, 1, 1, 1, 1},
        {2, 4, 5, 4, 5, 3, 3, 3, 4, 1, 1},
        {2, 9, 8, 3, 3, 1, 1, 2, 2, 2, 2},
        {1, 3, 3, 5, 5, 1, 1, 2, 2, 1, 1},
        {16, 8, 8, 3, 3, 1, 1, 1, 1, 1, 1},
    };

    private static Conv2dGeometry geometry(int[] s) {
        return new Conv2dGeometry(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10]);
    }

    @Test
    void im2colAndCol2imMatchReference() {
        SplittableRandom rng = random();
        for (int[] s : CONV_GEOMETRIES) {
            Conv2dGeometry g = geometry(s);
            int colsLen = g.colRows() * g.colCols();
            float[] x = uniform(rng, 3 + g.inputSize());
            float[] expected = new float[2 + colsLen];
            float[] actual = new float[2 + colsLen];
            Arrays.fill(expected, SENTINEL);
            Arrays.fill(actual, SENTINEL);
            Im2colRef.im2col(g, x, 3, expected, 1);
            backend.im2col(g, x, 3, actual, 1);
            assertArrayEquals(expected, actual, "im2col " + g);

            float[] cols = uniform(rng, 1 + colsLen);
            float[] dxExpected = uniform(rng, 2 + g.inputSize());
            float[] dxActual = dxExpected.clone();
            Im2colRef.col2im(g, cols, 1, dxExpected, 2);
            backend.col2im(g, cols, 1, dxActual, 2);
            Arrays2.assertClose("col2im " + g, dxExpected, dxActual, 1e-6, 1e-6);
        }
    }

    @Test
    void batchedIm2colAndCol2imMatchReferenceAndPerImageLayout() {
        SplittableRandom rng = random();
        int images = 3;
        for (int[] s : CONV_GEOMETRIES) {
            Conv2dGeometry g = geometry(s);
            int ohw = g.colCols();
            int colsLen = g.colRows() * ohw * images;
            float[] x = uniform(rng, 3 + g.inputSize() * images);
            float[] expected = new float[2 + colsLen];
            float[] actual = new float[2 + colsLen];
            Arrays.fill(expected, SENTINEL);
            Arrays.fill(actual, SENTINEL);
            Im2colRef.im2colBatch(g, images, x, 3, expected, 1);
            backend.im2colBatch(g, images, x, 3, actual, 1);
            assertArrayEquals(expected, actual, "im2colBatch " + g);
            // image i's columns are exactly its single-image im2col
            float[] one = new float[g.colRows() * ohw];
            for (int i = 0; i < images; i++) {
                Im2colRef.im2col(g, x, 3 + i * g.inputSize(), one, 0);
                for (int r = 0; r < g.colRows(); r++) {
                    for (int j = 0; j < ohw; j++) {
                        assertEquals(one[r * ohw + j], actual[1 + r * images * ohw + i * ohw + j],
                                "image " + i + " row " + r + " column " + j + " of " + g);
                    }
                }
            }

            float[] cols = uniform(rng, 1 + colsLen);
            float[] dxExpected = uniform(rng, 2 + g.inputSize() * images);
            float[] dxActual = dxExpected.clone();
            Im2colRef.col2imBatch(g, images, cols, 1, dxExpected, 2);
            backend.col2imBatch(g, images, cols.clone(), 1, dxActual, 2);
            Arrays2.assertClose("col2imBatch " + g, dxExpected, dxActual, 1e-6, 1e-6);
            float[] repeat = uniform(rng, 2 + g.inputSize() * images);
            float[] repeat2 = repeat.clone();
            backend.col2imBatch(g, images, cols.clone(), 1, repeat, 2);
            backend.col2imBatch(g, images, cols.clone(), 1, repeat2, 2);
            assertArrayEquals(repeat, repeat2, "col2imBatch repeats exactly " + g);
        }
    }

    @Test
    void transposeBlocksMatchesReference() {
        SplittableRandom rng = random();
        int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {16, 8, 64}, {128, 16, 64}, {2, 9, 1}, {64, 128, 256}, {10, 128, 1},
            {128, 300, 3}};
        for (int[] s : shapes) {
            int len = s[0] * s[1] * s[2];
            float[] x = uniform(rng, 2 + len);
            float[] expected = new float[3 + len];
            float[] actual = new float[3 + len];
            Arrays.fill(expected, SENTINEL);
            Arrays.fill(actual, SENTINEL);
            LayoutRef.transposeBlocks(s[0], s[1], s[2], x, 2, expected, 3);
            backend.transposeBlocks(s[0], s[1], s[2], x, 2, actual, 3);
            assertArrayEquals(expected, actual, "transposeBlocks " + Arrays.toString(s));
        }
    }

    // ---------------------------------------------------------------- pooling

    /** Pooling geometries: (planes, H, W, K, S, P). */
    private static final int[][] POOL_GEOMETRIES = {
        {1, 4, 4, 2, 2, 0}, {6, 7, 9, 2, 2, 0}, {5, 9, 9, 3, 2, 1}, {3, 8, 8, 3, 1, 1}, {20, 28, 28, 2, 2, 0},
        {4, 5, 6, 3, 3, 1}, {2, 1, 1, 1, 1, 0},
    };

    @Test
    void maxPoolMatchesReferenceIncludingTies() {
        SplittableRandom rng = random();
        for (int[] s : POOL_GEOMETRIES) {
            for (boolean ties : new boolean[] {false, true}) {
                Conv2dGeometry g = Conv2dGeometry.square(s[0], s[1], s[2], s[3], s[4], s[5]);
                int in = g.inputSize();
                int out = g.channels() * g.outHeight() * g.outWidth();
                float[] x = new float[1 + in];
                for (int i = 0; i < x.length; i++) {
                    x[i] = ties ? rng.nextInt(3) - 1 : (float) (rng.nextDouble() * 2 - 1);
                }
                float[] yRef = new float[out];
                int[] argRef = new int[out];
                float[] y = new float[out];
                int[] arg = new int[2 + out];
                PoolRef.maxPoolForward(g, x, 1, yRef, 0, argRef, 0);
                backend.maxPoolForward(g, x, 1, y, 0, arg, 2);
                assertArrayEquals(yRef, y, "maxpool forward " + g);
                assertArrayEquals(argRef, Arrays.copyOfRange(arg, 2, 2 + out), "maxpool argmax " + g);

                float[] dy = uniform(rng, out);
                float[] dxRef = uniform(rng, in);
                float[] dx = dxRef.clone();
                PoolRef.maxPoolBackward(g, dy, 0, argRef, 0, dxRef, 0);
                backend.maxPoolBackward(g, dy, 0, argRef, 0, dx, 0);
                Arrays2.assertClose("maxpool backward " + g, dxRef, dx, 1e-6, 1e-6);
            }
        }
    }

    @Test
    void avgPoolMatchesReferenceWithAndWithoutPadding() {
        SplittableRandom rng = random();
        for (int[] s : POOL_GEOMETRIES) {
            for (boolean includePad : new boolean[] {true, false}) {
                Conv2dGeometry g = Conv2dGeometry.square(s[0], s[1], s[2], s[3], s[4], s[5]);
                int in = g.inputSize();
                int out = g.channels() * g.outHeight() * g.outWidth();
                float[] x = uniform(rng, in);
                float[] yRef = new float[out];
                float[] y = new float[out];
                PoolRef.avgPoolForward(g, includePad, x, 0, yRef, 0);
                backend.avgPoolForward(g, includePad, x, 0, y, 0);
                Arrays2.assertClose("avgpool forward " + g + " includePad=" + includePad, yRef, y, 1e-6, 1e-6);

                float[] dy = uniform(rng, out);
                float[] dxRef = uniform(rng, in);
                float[] dx = dxRef.clone();
                PoolRef.avgPoolBackward(g, includePad, dy, 0, dxRef, 0);
                backend.avgPoolBackward(g, includePad, dy, 0, dx, 0);
                Arrays2.assertClose("avgpool backward " + g, dxRef, dx, 1e-6, 1e-6);
            }
        }
    }

    // ---------------------------------------------------------------- per-channel and element-wise

    /** (N, C, HW) shapes. */
    private static final int[][] CHANNEL_SHAPES = {{1, 1, 1}, {2, 3, 5}, {7, 17, 33}, {16, 32, 196}, {3, 65, 1}};

    @Test
    void channelReductionsMatchReferenceAndRepeatExactly() {
        SplittableRandom rng = random();
        for (int[] s : CHANNEL_SHAPES) {
            int len = s[0] * s[1] * s[2];
            float[] a = uniform(rng, 1 + len);
            float[] b = uniform(rng, 2 + len);
            double[] expected = new double[s[1]];
            double[] actual = new double[s[1]];
            ChannelRef.channelSums(s[0], s[1], s[2], a, 1, expected);
            backend.channelSums(s[0], s[1], s[2], a, 1, actual);
            Arrays2.assertClose("channelSums " + Arrays.toString(s), expected, actual, 1e-9, 1e-9);
            double[] again = new double[s[1]];
            backend.channelSums(s[0], s[1], s[2], a, 1, again);
            assertArrayEquals(actual, again, "channelSums must repeat bit for bit");

            ChannelRef.channelDots(s[0], s[1], s[2], a, 1, b, 2, expected);
            backend.channelDots(s[0], s[1], s[2], a, 1, b, 2, actual);
            Arrays2.assertClose("channelDots " + Arrays.toString(s), expected, actual, 1e-9, 1e-9);

            // the fused passes equal the backend's own separate calls bit for bit
            double[] sums = new double[s[1]];
            double[] dots = new double[s[1]];
            backend.channelSumsAndDots(s[0], s[1], s[2], a, 1, b, 2, sums, dots);
            backend.channelSums(s[0], s[1], s[2], a, 1, again);
            assertArrayEquals(again, sums, "channelSumsAndDots: sums " + Arrays.toString(s));
            assertArrayEquals(actual, dots, "channelSumsAndDots: dots " + Arrays.toString(s));

            float[] shift = uniform(rng, s[1]);
            float[] centered = new float[3 + len];
            double[] squares = new double[s[1]];
            backend.channelCenterSquares(s[0], s[1], s[2], a, 1, shift, centered, 3, squares);
            float[] expectedCentered = new float[3 + len];
            ChannelRef.channelAffine(s[0], s[1], s[2], a, 1, null, shift, expectedCentered, 3);
            assertArrayEquals(expectedCentered, centered, "channelCenterSquares: y " + Arrays.toString(s));
            backend.channelDots(s[0], s[1], s[2], expectedCentered, 3, expectedCentered, 3, expected);
            assertArrayEquals(expected, squares, "channelCenterSquares: squares " + Arrays.toString(s));
        }
    }

    @Test
    void channelAffineAndBiasReluMatchReference() {
        SplittableRandom rng = random();
        for (int[] s : CHANNEL_SHAPES) {
            int len = s[0] * s[1] * s[2];
            float[] x = uniform(rng, 1 + len);
            float[] scale = uniform(rng, s[1]);
            float[] shift = uniform(rng, s[1]);
            for (float[] sc : new float[][] {scale, null}) {
                float[] expected = new float[len + 3];
                float[] actual = new float[len + 3];
                ChannelRef.channelAffine(s[0], s[1], s[2], x, 1, sc, shift, expected, 3);
                backend.channelAffine(s[0], s[1], s[2], x, 1, sc, shift, actual, 3);
                assertArrayEquals(expected, actual, "channelAffine " + Arrays.toString(s));
            }
            float[] b = uniform(rng, 2 + len);
            float[] sb = uniform(rng, s[1]);
            float[] y = uniform(rng, 4 + len);
            float[] yExpected = y.clone();
            ChannelRef.channelCombineAccumulate(s[0], s[1], s[2], x, 1, scale, b, 2, sb, shift, yExpected, 4);
            backend.channelCombineAccumulate(s[0], s[1], s[2], x, 1, scale, b, 2, sb, shift, y, 4);
            assertArrayEquals(yExpected, y, "channelCombineAccumulate " + Arrays.toString(s));
            int rows = s[0] * s[1];
            for (boolean relu : new boolean[] {false, true}) {
                float[] expected = new float[len];
                float[] actual = new float[len];
                float[] bias = uniform(rng, rows);
                ChannelRef.biasRelu(rows, s[2], x, 1, bias, expected, 0, relu);
                backend.biasRelu(rows, s[2], x, 1, bias, actual, 0, relu);
                assertArrayEquals(expected, actual, "biasRelu " + Arrays.toString(s) + " relu=" + relu);
                float[] inPlace = Arrays.copyOfRange(x, 1, 1 + len);
                backend.biasRelu(rows, s[2], inPlace, 0, bias, inPlace, 0, relu);
                assertArrayEquals(expected, inPlace, "biasRelu in place");
            }
        }
    }

    @Test
    void elementwiseOpsMatchReference() {
        SplittableRandom rng = random();
        for (int len : new int[] {1, 7, 33, 1000, 200_003}) {
            float[] x = uniform(rng, len + 2);
            x[1] = 0f;  // the ReLU gradient at exactly 0 must be 0
            float[] y0 = uniform(rng, len + 1);

            float[] e = y0.clone();
            float[] r = y0.clone();
            ElementwiseRef.addInPlace(len, x, 2, e, 1);
            backend.addInPlace(len, x, 2, r, 1);
            assertArrayEquals(e, r, "addInPlace len=" + len);

            e = y0.clone();
            r = y0.clone();
            ElementwiseRef.axpy(len, -0.3f, x, 1, e, 0);
            backend.axpy(len, -0.3f, x, 1, r, 0);
            Arrays2.assertClose("axpy len=" + len, e, r, 1e-6, 1e-7);

            e = y0.clone();
            r = y0.clone();
            ElementwiseRef.scale(len, 1.7f, x, 0, e, 1);
            backend.scale(len, 1.7f, x, 0, r, 1);
            assertArrayEquals(e, r, "scale len=" + len);

            e = y0.clone();
            r = y0.clone();
            ElementwiseRef.relu(len, x, 1, e, 0);
            backend.relu(len, x, 1, r, 0);
            assertArrayEquals(e, r, "relu len=" + len);

            e = y0.clone();
            r = y0.clone();
            r[1 + len / 2] = Float.NaN;  // fill overwrites whatever was there
            Arrays.fill(e, 1, 1 + len, 0f);
            backend.fill(len, 0f, r, 1);
            assertArrayEquals(e, r, "fill len=" + len);

            float[] dy = uniform(rng, len);
            e = y0.clone();
            r = y0.clone();
            ElementwiseRef.reluBackward(len, x, 1, dy, 0, e, 1);
            backend.reluBackward(len, x, 1, dy, 0, r, 1);
            assertArrayEquals(e, r, "reluBackward len=" + len);
        }
    }

    @Test
    void forEachRangeCoversEveryItemOnceAndNestedCallsGiveTheSameResults() {
        SplittableRandom rng = random();
        for (int items : new int[] {0, 1, 2, 3, 8, 43}) {
            int[] seen = new int[items];
            backend.forEachRange(items, (from, to) -> {
                for (int i = from; i < to; i++) {
                    seen[i]++;
                }
            });
            for (int i = 0; i < items; i++) {
                assertEquals(1, seen[i], "item " + i + " of " + items);
            }
        }
        // a GEMM per item, run inside the ranges, equals the same GEMMs run one by one outside
        int items = 5;
        int m = 24;
        int n = 300;
        int k = 70;
        float[] a = uniform(rng, m * k);
        float[] b = uniform(rng, items * k * n);
        float[] outside = new float[items * m * n];
        float[] inside = new float[items * m * n];
        for (int i = 0; i < items; i++) {
            backend.gemm(Transpose.NO, Transpose.NO, m, n, k, 1f, a, 0, k, b, i * k * n, n, 0f, outside, i * m * n, n);
        }
        backend.forEachRange(items, (from, to) -> {
            for (int i = from; i < to; i++) {
                backend.gemm(Transpose.NO, Transpose.NO, m, n, k, 1f, a, 0, k, b, i * k * n, n, 0f, inside, i * m * n, n);
            }
        });
        assertArrayEquals(outside, inside, "GEMMs inside forEachRange");
    }

    // ---------------------------------------------------------------- loss

    @Test
    void softmaxCrossEntropyMatchesReference() {
        SplittableRandom rng = random();
        for (int[] s : new int[][] {{1, 2}, {7, 10}, {128, 10}, {3, 1000}}) {
            int n = s[0];
            int classes = s[1];
            float[] logits = uniform(rng, 1 + n * classes);
            for (int i = 0; i < logits.length; i++) {
                logits[i] *= 20;
            }
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = rng.nextInt(classes);
            }
            float[] lpRef = new float[n * classes];
            float[] lp = new float[n * classes + 2];
            double lossRef = SoftmaxCrossEntropyRef.forward(n, classes, logits, 1, labels, lpRef, 0);
            double loss = backend.softmaxCrossEntropy(n, classes, logits, 1, labels, lp, 2);
            assertEquals(lossRef, loss, 1e-6 * Math.max(1, Math.abs(lossRef)), "loss " + n + "x" + classes);
            Arrays2.assertClose("log-softmax", lpRef, Arrays.copyOfRange(lp, 2, 2 + n * classes), 1e-6, 1e-6);

            float[] dRef = new float[n * classes];
            float[] d = new float[n * classes];
            SoftmaxCrossEntropyRef.backward(n, classes, lpRef, 0, labels, 0.5f, dRef, 0);
            backend.softmaxCrossEntropyBackward(n, classes, lp, 2, labels, 0.5f, d, 0);
            Arrays2.assertClose("dlogits", dRef, d, 1e-6, 1e-7);
        }
    }
}
