package org.rankfold.kernels.opencl;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.ref.ChannelRef;
import org.rankfold.kernels.testing.Arrays2;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Channel sums and dot products vs {@link ChannelRef} (double accumulation). The device result is a
 * float, accumulated in double with cl_khr_fp64 or in float (a tree) without: tolerance
 * {@code 2 * ulp(1) * (1 + log2(N*HW)) * sum|terms|} covers both, plus determinism (same inputs, same bits).
 */
class ClChannelsTest extends SeededTest {

    @Test
    void sumsAndDotsMatchReference() {
        OpenClRuntime rt = OpenClTestDevice.runtime();
        SplittableRandom rng = random();
        int[][] shapes = {{1, 1, 1}, {2, 3, 5}, {4, 16, 49}, {7, 3, 300}, {1, 64, 1}};
        for (int[] s : shapes) {
            int n = s[0];
            int c = s[1];
            int hw = s[2];
            int off = 2;
            float[] a = uniform(rng, off + n * c * hw);
            float[] b = uniform(rng, off + n * c * hw);
            double[] sums = new double[c];
            double[] dots = new double[c];
            ChannelRef.channelSums(n, c, hw, a, off, sums);
            ChannelRef.channelDots(n, c, hw, a, off, b, off, dots);
            float[] gotSums = new float[c + 1];
            float[] gotDots = new float[c + 1];
            float[] again = new float[c + 1];
            try (DeviceBuffer da = rt.buffers().upload(a, 0, a.length);
                 DeviceBuffer db = rt.buffers().upload(b, 0, b.length);
                 DeviceBuffer out = rt.buffers().allocate(c + 1)) {
                rt.channels().channelSums(n, c, hw, da, off, out, 1);
                out.read(0, gotSums, 0, c + 1);
                rt.channels().channelDots(n, c, hw, da, off, db, off, out, 1);
                out.read(0, gotDots, 0, c + 1);
                rt.channels().channelDots(n, c, hw, da, off, db, off, out, 1);
                out.read(0, again, 0, c + 1);
            }
            double terms = (double) n * hw;
            double atol = 2 * Math.ulp(1f) * (1 + Math.log(terms) / Math.log(2)) * terms; // |a|,|b| <= 1
            Arrays2.assertClose("channelSums " + n + "x" + c + "x" + hw, sums, tail(gotSums), 1e-7, atol);
            Arrays2.assertClose("channelDots " + n + "x" + c + "x" + hw, dots, tail(gotDots), 1e-7, atol);
            assertArrayEquals(gotDots, again, "channelDots is deterministic");
        }
    }

    private static double[] tail(float[] v) {
        double[] d = new double[v.length - 1];
        for (int i = 1; i < v.length; i++) {
            d[i - 1] = v[i];
        }
        return d;
    }
}
