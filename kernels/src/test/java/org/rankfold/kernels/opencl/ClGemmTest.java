package org.rankfold.kernels.opencl;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.Transpose;
import org.rankfold.kernels.ref.GemmRef;
import org.rankfold.kernels.testing.Arrays2;
import org.rankfold.kernels.testing.SeededTest;
import org.rankfold.kernels.testing.Tolerances;

/** OpenCL SGEMM vs the scalar reference on odd sizes, every transpose pair and two tilings. */
class ClGemmTest extends SeededTest {

    @Test
    void smoke() {
        OpenClRuntime rt = OpenClTestDevice.runtime();
        SplittableRandom rng = random();
        int m = 7, n = 5, k = 3;
        float[] a = uniform(rng, m * k);
        float[] b = uniform(rng, k * n);
        float[] expected = new float[m * n];
        GemmRef.gemm(Transpose.NO, Transpose.NO, m, n, k, 1f, a, 0, k, b, 0, n, 0f, expected, 0, n);
        try (DeviceBuffer da = rt.buffers().upload(a, 0, a.length);
             DeviceBuffer db = rt.buffers().upload(b, 0, b.length);
             DeviceBuffer dc = rt.buffers().allocate(m * n)) {
            rt.gemm().gemm(Transpose.NO, Transpose.NO, m, n, k, 1f, da, 0, k, db, 0, n, 0f, dc, 0, n);
            float[] c = new float[m * n];
            dc.read(0, c, 0, c.length);
            Arrays2.assertClose("gemm", expected, c, 0, Tolerances.gemmAbs(k, 1));
        }
    }
}
