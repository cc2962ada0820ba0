package org.rankfold.kernels.cpu.gemm;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What every {@link MicroKernel} must compute, bit for bit: per element one {@link Math#fma} chain over k
 * in ascending order, then {@code fma(acc, alpha, beta*C)} or {@code acc*alpha} (beta == 0, C not read);
 * nothing outside the MR x NR tile of C is written. A kernel's test is a one-line subclass.
 */
public abstract class MicroKernelContract extends SeededTest {

    protected abstract MicroKernel kernel();

    @Test
    void computesTheFusedChainExactly() {
        MicroKernel kernel = kernel();
        int mr = kernel.mr();
        int nr = kernel.nr();
        SplittableRandom rng = random();
        float[][] alphaBeta = {{1f, 0f}, {0.5f, 1f}, {-2f, 0.25f}};
        for (int kc : new int[] {1, 2, 3, 17, 64}) {
            for (float[] ab : alphaBeta) {
                int aOff = rng.nextInt(5);
                int bOff = rng.nextInt(5);
                float[] a = uniform(rng, aOff + kc * mr);
                float[] b = uniform(rng, bOff + kc * nr);
                int ldc = nr + 3;
                int cOff = 2;
                float[] c = uniform(rng, cOff + mr * ldc + 1);
                if (ab[1] == 0f) {
                    Arrays.fill(c, cOff, cOff + mr * ldc, Float.NaN);
                    for (int i = 0; i < mr; i++) {
                        Arrays.fill(c, cOff + i * ldc + nr, cOff + (i + 1) * ldc, 7f);
                    }
                }
                float[] expected = c.clone();
                for (int i = 0; i < mr; i++) {
                    for (int j = 0; j < nr; j++) {
                        float acc = 0f;
                        for (int p = 0; p < kc; p++) {
                            acc = Math.fma(a[aOff + p * mr + i], b[bOff + p * nr + j], acc);
                        }
                        int at = cOff + i * ldc + j;
                        expected[at] = ab[1] == 0f ? acc * ab[0] : Math.fma(acc, ab[0], ab[1] * expected[at]);
                    }
                }
                kernel.multiply(kc, a, aOff, b, bOff, ab[0], ab[1], c, cOff, ldc);
                for (int i = 0; i < c.length; i++) {
                    assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(c[i]),
                            kernel.getClass().getSimpleName() + " kc=" + kc + " alpha=" + ab[0] + " beta=" + ab[1]
                                    + " at C index " + i + ": got " + c[i] + ", expected " + expected[i]);
                }
            }
        }
    }
}
