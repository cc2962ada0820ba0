package org.rankfold.kernels.cpu.gemm;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transposed packing of a virtual operand (the weight-gradient GEMM's im2col^T) against its
 * definition, PackB's panel layout written element by element, for every micro-kernel (every vector width
 * and NR): panels of NR columns, k-major, zero past the block's last column; the floats are copies, so
 * the comparison is exact.
 */
class TransposedPanelsTest extends SeededTest {

    private static final MicroKernel[] KERNELS = {
        new MicroKernel4x4Scalar(), new MicroKernel6x8(), new MicroKernel6x16(), new MicroKernel12x32(),
        new MicroKernel8x32(), new MicroKernel4x32(),
    };

    @Test
    void packsTheTransposeOfRowSegmentsIntoPanels() {
        SplittableRandom rng = random();
        // S: 70 rows in blocks of 9 columns stored apart (a BlockedRows view), so row segments span blocks
        int rowsOfS = 70;
        int block = 9;
        int blocks = 40;
        float[] data = new float[blocks * rowsOfS * block + 5];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) rng.nextGaussian();
        }
        BlockedRows s = new BlockedRows(data, 5, block, rowsOfS * block, block);
        int[][] shapes = {{0, 1, 0, 1}, {3, 17, 2, 32}, {0, 320, 0, 64}, {11, 33, 5, 37}, {7, 5, 30, 40},
            {100, 250, 1, 69}};
        for (MicroKernel kernel : KERNELS) {
            int nr = kernel.nr();
            for (int[] shape : shapes) {
                int p0 = shape[0];
                int kc = shape[1];
                int col0 = shape[2];
                int nc = shape[3];
                int panels = (nc + nr - 1) / nr;
                float[] expected = new float[panels * nr * kc];
                float[] segment = new float[kc];
                for (int j = 0; j < nc; j++) {
                    s.row(col0 + j, p0, kc, segment, 0);
                    for (int p = 0; p < kc; p++) {
                        expected[(j / nr) * kc * nr + p * nr + j % nr] = segment[p];
                    }
                }
                float[] dst = new float[expected.length + 3];
                Arrays.fill(dst, Float.NaN);
                float[] buf = new float[nr * kc];
                Arrays.fill(buf, Float.NaN);
                TransposedPanels.pack(s, kernel, p0, kc, col0, nc, dst, buf, new int[16]);
                float[] packed = Arrays.copyOf(dst, expected.length);
                assertArrayEquals(expected, packed, kernel.getClass().getSimpleName() + " p0=" + p0 + " kc=" + kc
                        + " col0=" + col0 + " nc=" + nc);
                for (int i = expected.length; i < dst.length; i++) {
                    assertTrue(Float.isNaN(dst[i]), "wrote past the panels");
                }
            }
        }
    }

}
