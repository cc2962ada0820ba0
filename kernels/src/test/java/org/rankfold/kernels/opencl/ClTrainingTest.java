package org.rankfold.kernels.opencl;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.Conv2dGeometry;
import org.rankfold.kernels.ref.Im2colRef;
import org.rankfold.kernels.testing.Arrays2;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The layout kernels of {@link ClTraining} against {@link Im2colRef} applied image by image: batched
 * im2col (and its transpose) are copies, equal bit for bit; batched col2im sums up to KH*KW terms per
 * element like the reference but overwrites (tolerance KH*KW ulps of the largest magnitude); swap01 is a
 * permutation. The BatchNorm and element-wise steps are checked through the device layers against the
 * CPU engine ({@code org.rankfold.engine.device.DeviceLayersTest}).
 */
class ClTrainingTest extends SeededTest {
    private static final int N = 3;

    @Test
    void batchedIm2colAndCol2imEqualTheReferencePerImage() {
        OpenClRuntime rt = OpenClTestDevice.runtime();
        SplittableRandom rng = random();
        for (Conv2dGeometry g : ClIm2colTest.GEOMETRIES) {
            int in = g.inputSize();
            int rows = g.colRows();
            int p = g.colCols();
            float[] x = uniform(rng, N * in);
            float[] cols = uniform(rng, rows * N * p);
            float[] expectedCols = new float[rows * N * p];
            float[] expectedT = new float[rows * N * p];
            float[] expectedDx = new float[N * in];
            float[] one = new float[rows * p];
            for (int i = 0; i < N; i++) {
                Im2colRef.im2col(g, x, i * in, one, 0);
                for (int r = 0; r < rows; r++) {
                    for (int o = 0; o < p; o++) {
                        expectedCols[r * N * p + i * p + o] = one[r * p + o];
                        expectedT[(i * p + o) * rows + r] = one[r * p + o];
                        one[r * p + o] = cols[r * N * p + i * p + o];
                    }
                }
                Im2colRef.col2im(g, one, 0, expectedDx, i * in);
            }
            float[] actualCols = new float[cols.length];
            float[] actualT = new float[cols.length];
            float[] actualDx = new float[N * in];
            try (DeviceBuffer dx = rt.buffers().upload(x, 0, x.length);
                 DeviceBuffer dcols = rt.buffers().allocate(cols.length);
                 DeviceBuffer dcolsIn = rt.buffers().upload(cols, 0, cols.length);
                 DeviceBuffer dgrad = rt.buffers().allocate(N * in)) {
                rt.training().im2colBatched(g, N, dx, 0, dcols, 0);
                dcols.read(0, actualCols, 0, cols.length);
                rt.training().im2colBatchedTransposed(g, N, dx, 0, dcols, 0);
                dcols.read(0, actualT, 0, cols.length);
                dgrad.fill(Float.NaN, 0, N * in); // overwritten, not accumulated
                rt.training().col2imBatched(g, N, dcolsIn, 0, dgrad, 0);
                dgrad.read(0, actualDx, 0, N * in);
            }
            assertArrayEquals(expectedCols, actualCols, "im2colBatched " + g);
            assertArrayEquals(expectedT, actualT, "im2colBatchedTransposed " + g);
            double ulps = g.kernelH() * g.kernelW() * Math.ulp((float) Math.max(1, Arrays2.maxAbs(expectedDx)));
            Arrays2.assertClose("col2imBatched " + g, expectedDx, actualDx, 0, ulps);
        }
    }

    @Test
    void swap01Permutes() {
        OpenClRuntime rt = OpenClTestDevice.runtime();
        int a = 3;
        int b = 5;
        int p = 7;
        float[] in = uniform(random(), a * b * p);
        float[] expected = new float[in.length];
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < b; j++) {
                System.arraycopy(in, (i * b + j) * p, expected, (j * a + i) * p, p);
            }
        }
        float[] actual = new float[in.length];
        try (DeviceBuffer src = rt.buffers().upload(in, 0, in.length); DeviceBuffer dst = rt.buffers().allocate(in.length + 2)) {
            rt.training().swap01(a, b, p, src, 0, dst, 2);
            dst.read(2, actual, 0, in.length);
        }
        assertArrayEquals(expected, actual);
    }
}
