package org.rankfold.kernels.opencl;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.ref.ChannelRef;
import org.rankfold.kernels.ref.ElementwiseRef;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Element-wise kernels vs {@link ElementwiseRef} and {@link ChannelRef}: <b>bit-identical</b> (the
 * kernels disable FMA contraction and do the same float operations in the same order). Inputs include
 * zeros and a NaN where ReLU's convention matters; lengths are not multiples of the work-group size.
 */
class ClElementwiseTest extends SeededTest {
    private static final int LEN = 1000;
    private static final int OFF = 5;

    private float[] input(SplittableRandom rng) {
        float[] x = uniform(rng, OFF + LEN);
        x[OFF] = 0f;
        x[OFF + 1] = -0f;
        x[OFF + 2] = Float.NaN;
        return x;
    }

    @Test
    void addAxpyScale() {
        OpenClRuntime rt = OpenClTestDevice.runtime();
        SplittableRandom rng = random();
        float[] x = uniform(rng, OFF + LEN);
        float[] y = uniform(rng, OFF + LEN);

        float[] expected = y.clone();
        ElementwiseRef.addInPlace(LEN, x, OFF, expected, OFF);
        assertArrayEquals(expected, run(rt, x, y, (ops, dx, dy) -> ops.addInPlace(LEN, dx, OFF, dy, OFF)), "addInPlace");

        expected = y.clone();
        ElementwiseRef.axpy(LEN, -0.3f, x, OFF, expected, OFF);
        assertArrayEquals(expected, run(rt, x, y, (ops, dx, dy) -> ops.axpy(LEN, -0.3f, dx, OFF, dy, OFF)), "axpy");

        expected = y.clone();
        ElementwiseRef.scale(LEN, 1.7f, x, OFF, expected, OFF);
        assertArrayEquals(expected, run(rt, x, y, (ops, dx, dy) -> ops.scale(LEN, 1.7f, dx, OFF, dy, OFF)), "scale");
    }

    @Test
    void reluForwardBackwardIncludingZeroAndNaN() {
        OpenClRuntime rt = OpenClTestDevice.runtime();
        SplittableRandom rng = random();
        float[] x = input(rng);
        float[] y = uniform(rng, OFF + LEN);

        float[] expected = y.clone();
        ElementwiseRef.relu(LEN, x, OFF, expected, OFF);
        assertArrayEquals(expected, run(rt, x, y, (ops, dx, dy) -> ops.relu(LEN, dx, OFF, dy, OFF)), "relu");

        float[] dyv = uniform(rng, OFF + LEN);
        float[] dx = uniform(rng, OFF + LEN);
        expected = dx.clone();
        ElementwiseRef.reluBackward(LEN, x, OFF, dyv, OFF, expected, OFF);
        float[] actual = dx.clone();
        try (DeviceBuffer bx = rt.buffers().upload(x, 0, x.length);
             DeviceBuffer bdy = rt.buffers().upload(dyv, 0, dyv.length);
             DeviceBuffer bdx = rt.buffers().upload(dx, 0, dx.length)) {
            rt.elementwise().reluBackward(LEN, bx, OFF, bdy, OFF, bdx, OFF);
            bdx.read(0, actual, 0, actual.length);
        }
        assertArrayEquals(expected, actual, "reluBackward");
    }

    @Test
    void biasReluAndChannelAffine() {
        OpenClRuntime rt = OpenClTestDevice.runtime();
        SplittableRandom rng = random();
        int n = 3;
        int c = 5;
        int hw = 37;
        int len = n * c * hw;
        float[] x = uniform(rng, OFF + len);
        float[] bias = uniform(rng, c);
        float[] scale = uniform(rng, c);
        float[] shift = uniform(rng, c);
        for (boolean relu : new boolean[] {false, true}) {
            for (float[] b : new float[][] {bias, null}) {
                // The reference takes (rows, cols) with one bias per row: call it per image.
                float[] expected = new float[OFF + len];
                for (int i = 0; i < n; i++) {
                    ChannelRef.biasRelu(c, hw, x, OFF + i * c * hw, b, expected, OFF + i * c * hw, relu);
                }
                float[] actual = new float[OFF + len];
                try (DeviceBuffer bx = rt.buffers().upload(x, 0, x.length);
                     DeviceBuffer bb = b == null ? null : rt.buffers().upload(b, 0, c);
                     DeviceBuffer by = rt.buffers().allocate(OFF + len)) {
                    by.fill(0f, 0, OFF + len);
                    rt.elementwise().biasRelu(n, c, hw, bx, OFF, bb, by, OFF, relu);
                    by.read(0, actual, 0, actual.length);
                }
                assertArrayEquals(expected, actual, "biasRelu relu=" + relu + " bias=" + (b != null));
            }
        }
        for (float[] s : new float[][] {scale, null}) {
            for (float[] t : new float[][] {shift, null}) {
                float[] expected = x.clone();
                ChannelRef.channelAffine(n, c, hw, x, OFF, s, t, expected, OFF);
                float[] actual = x.clone();
                // In place: y is x at the same offset.
                try (DeviceBuffer bx = rt.buffers().upload(x, 0, x.length);
                     DeviceBuffer bs = s == null ? null : rt.buffers().upload(s, 0, c);
                     DeviceBuffer bt = t == null ? null : rt.buffers().upload(t, 0, c)) {
                    rt.elementwise().channelAffine(n, c, hw, bx, OFF, bs, bt, bx, OFF);
                    bx.read(0, actual, 0, actual.length);
                }
                assertArrayEquals(expected, actual, "channelAffine scale=" + (s != null) + " shift=" + (t != null));
            }
        }
    }

    interface Op {
        void run(ClElementwise ops, DeviceBuffer x, DeviceBuffer y);
    }

    private static float[] run(OpenClRuntime rt, float[] x, float[] y, Op op) {
        float[] out = y.clone();
        try (DeviceBuffer bx = rt.buffers().upload(x, 0, x.length);
             DeviceBuffer by = rt.buffers().upload(y, 0, y.length)) {
            op.run(rt.elementwise(), bx, by);
            by.read(0, out, 0, out.length);
        }
        return out;
    }
}
