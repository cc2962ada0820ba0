package org.rankfold.kernels.opencl;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.Conv2dGeometry;
import org.rankfold.kernels.ref.Im2colRef;
import org.rankfold.kernels.testing.Arrays2;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * im2col/col2im on OpenCL vs {@link Im2colRef}. im2col is a copy: equal bit for bit. col2im sums up to
 * KH*KW terms per element in another order than the reference: tolerance KH*KW ulps of the largest
 * magnitude involved.
 */
class ClIm2colTest extends SeededTest {
    static final List<Conv2dGeometry> GEOMETRIES = List.of(
            Conv2dGeometry.square(3, 8, 8, 3, 1, 1),
            Conv2dGeometry.square(2, 7, 9, 3, 2, 1),
            Conv2dGeometry.square(4, 5, 5, 1, 1, 0),
            Conv2dGeometry.square(1, 11, 6, 5, 3, 2),
            new Conv2dGeometry(3, 9, 10, 3, 2, 1, 2, 2, 0, 2, 1),
            new Conv2dGeometry(2, 6, 6, 2, 2, 2, 2, 0, 0, 1, 1),
            Conv2dGeometry.square(1, 1, 1, 1, 1, 0));

    @Test
    void im2colEqualsReference() {
        OpenClRuntime rt = OpenClTestDevice.runtime();
        SplittableRandom rng = random();
        for (Conv2dGeometry g : GEOMETRIES) {
            int offset = 3;
            float[] x = uniform(rng, offset + g.inputSize());
            int colsLength = g.colRows() * g.colCols();
            float[] expected = new float[offset + colsLength];
            Im2colRef.im2col(g, x, offset, expected, offset);
            float[] actual = new float[offset + colsLength];
            try (DeviceBuffer dx = rt.buffers().upload(x, 0, x.length);
                 DeviceBuffer dcols = rt.buffers().allocate(actual.length)) {
                dcols.fill(0f, 0, actual.length);
                rt.im2col().im2col(g, dx, offset, dcols, offset);
                dcols.read(0, actual, 0, actual.length);
            }
            assertArrayEquals(expected, actual, "im2col " + g);
        }
    }

    @Test
    void col2imAccumulatesLikeReference() {
        OpenClRuntime rt = OpenClTestDevice.runtime();
        SplittableRandom rng = random();
        for (Conv2dGeometry g : GEOMETRIES) {
            float[] cols = uniform(rng, g.colRows() * g.colCols());
            float[] dx = uniform(rng, g.inputSize());
            float[] expected = dx.clone();
            Im2colRef.col2im(g, cols, 0, expected, 0);
            float[] actual = dx.clone();
            try (DeviceBuffer dcols = rt.buffers().upload(cols, 0, cols.length);
                 DeviceBuffer ddx = rt.buffers().upload(dx, 0, dx.length)) {
                rt.im2col().col2im(g, dcols, 0, ddx, 0);
                ddx.read(0, actual, 0, actual.length);
            }
            double atol = (g.kernelH() * g.kernelW() + 1) * Math.ulp(1f) * (g.kernelH() * g.kernelW() + 1);
            Arrays2.assertClose("col2im " + g, expected, actual, 0, atol);
        }
    }
}
