package org.rankfold.kernels.opencl;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.Conv2dGeometry;
import org.rankfold.kernels.ref.PoolRef;
import org.rankfold.kernels.testing.Arrays2;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pooling kernels vs {@link PoolRef}. Max pooling forward (values and argmax, with ties from a coarse
 * value grid and a NaN) and its backward from zero are exact; backward into a non-zero dx rounds the
 * gathered sum once more: 2 ulps of the largest term count. Average pooling: 4 ulps relative plus
 * (KH*KW) ulps absolute.
 */
class ClPoolingTest extends SeededTest {
    static final List<Conv2dGeometry> MAX = List.of(
            Conv2dGeometry.square(6, 8, 8, 2, 2, 0),
            Conv2dGeometry.square(4, 7, 9, 3, 2, 1),
            Conv2dGeometry.square(3, 6, 6, 3, 1, 1),
            new Conv2dGeometry(2, 9, 7, 3, 2, 1, 2, 1, 0, 2, 1));
    static final List<Conv2dGeometry> AVG = List.of(
            Conv2dGeometry.square(6, 8, 8, 2, 2, 0),
            Conv2dGeometry.square(4, 7, 9, 3, 2, 1),
            new Conv2dGeometry(3, 5, 8, 3, 2, 1, 2, 1, 1, 1, 1),
            Conv2dGeometry.square(2, 4, 4, 4, 4, 0));

    @Test
    void maxPoolForwardAndBackwardWithTiesAndNaN() {
        OpenClRuntime rt = OpenClTestDevice.runtime();
        SplittableRandom rng = random();
        for (Conv2dGeometry g : MAX) {
            int in = g.channels() * g.height() * g.width();
            int out = g.channels() * g.outHeight() * g.outWidth();
            float[] x = new float[in];
            for (int i = 0; i < in; i++) {
                x[i] = rng.nextInt(4); // many ties: the first maximum must win
            }
            x[in / 2] = Float.NaN;
            float[] y = new float[out];
            int[] arg = new int[out];
            PoolRef.maxPoolForward(g, x, 0, y, 0, arg, 0);
            float[] gotY = new float[out];
            int[] gotArg = new int[out];
            float[] dy = uniform(rng, out);
            float[] dx0 = new float[in];
            float[] dx1 = uniform(rng, in);
            float[] exp0 = dx0.clone();
            float[] exp1 = dx1.clone();
            PoolRef.maxPoolBackward(g, dy, 0, arg, 0, exp0, 0);
            PoolRef.maxPoolBackward(g, dy, 0, arg, 0, exp1, 0);
            float[] got0 = new float[in];
            float[] got1 = new float[in];
            try (DeviceBuffer bx = rt.buffers().upload(x, 0, in);
                 DeviceBuffer by = rt.buffers().allocate(out);
                 DeviceBuffer barg = rt.buffers().allocate(out);
                 DeviceBuffer bdy = rt.buffers().upload(dy, 0, out);
                 DeviceBuffer bdx0 = rt.buffers().upload(dx0, 0, in);
                 DeviceBuffer bdx1 = rt.buffers().upload(dx1, 0, in)) {
                rt.pooling().maxPoolForward(g, bx, 0, by, 0, barg, 0);
                by.read(0, gotY, 0, out);
                barg.read(0, gotArg, 0, out);
                rt.pooling().maxPoolBackward(g, bdy, 0, barg, 0, bdx0, 0);
                rt.pooling().maxPoolBackward(g, bdy, 0, barg, 0, bdx1, 0);
                bdx0.read(0, got0, 0, in);
                bdx1.read(0, got1, 0, in);
            }
            assertArrayEquals(y, gotY, "maxPool y " + g);
            assertArrayEquals(arg, gotArg, "maxPool argmax " + g);
            assertTrue(Float.isNaN(gotY[java.util.stream.IntStream.range(0, out).filter(i -> Float.isNaN(y[i]))
                    .findFirst().orElseThrow()]), "NaN propagates");
            assertArrayEquals(exp0, got0, "maxPoolBackward into zeros " + g);
            Arrays2.assertClose("maxPoolBackward accumulate " + g, exp1, got1, 2 * Math.ulp(1f),
                    2 * Math.ulp(1f) * g.kernelH() * g.kernelW());
        }
    }

    @Test
    void avgPoolForwardAndBackwardBothDivisors() {
        OpenClRuntime rt = OpenClTestDevice.runtime();
        SplittableRandom rng = random();
        for (Conv2dGeometry g : AVG) {
            for (boolean includePad : new boolean[] {true, false}) {
                int in = g.channels() * g.height() * g.width();
                int out = g.channels() * g.outHeight() * g.outWidth();
                float[] x = uniform(rng, in);
                float[] y = new float[out];
                PoolRef.avgPoolForward(g, includePad, x, 0, y, 0);
                float[] dy = uniform(rng, out);
                float[] dx = uniform(rng, in);
                float[] expDx = dx.clone();
                PoolRef.avgPoolBackward(g, includePad, dy, 0, expDx, 0);
                float[] gotY = new float[out];
                float[] gotDx = new float[in];
                try (DeviceBuffer bx = rt.buffers().upload(x, 0, in);
                     DeviceBuffer by = rt.buffers().allocate(out);
                     DeviceBuffer bdy = rt.buffers().upload(dy, 0, out);
                     DeviceBuffer bdx = rt.buffers().upload(dx, 0, in)) {
                    rt.pooling().avgPoolForward(g, includePad, bx, 0, by, 0);
                    by.read(0, gotY, 0, out);
                    rt.pooling().avgPoolBackward(g, includePad, bdy, 0, bdx, 0);
                    bdx.read(0, gotDx, 0, in);
                }
                double atol = Math.ulp(1f) * (g.kernelH() * g.kernelW() + 1);
                Arrays2.assertClose("avgPool " + g + " includePad=" + includePad, y, gotY, 4 * Math.ulp(1f), atol);
                Arrays2.assertClose("avgPoolBackward " + g + " includePad=" + includePad, expDx, gotDx,
                        4 * Math.ulp(1f), atol);
            }
        }
    }
}
