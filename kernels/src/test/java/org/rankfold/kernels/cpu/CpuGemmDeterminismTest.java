package org.rankfold.kernels.cpu;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.Transpose;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Threads split output tiles, never the K reduction, and every kernel width runs the same fused
 * multiply-add chain per element: so 1, 2 and 3 threads, and all vector widths, give the same bits.
 */
class CpuGemmDeterminismTest extends SeededTest {

    /** Shapes that split by columns (wide N), by rows (N of one tile) and an M = 32 im2col-like one. */
    private static final int[][] SHAPES = {{70, 700, 300}, {500, 30, 200}, {32, 1500, 288}};

    @Test
    void oneTwoAndThreeThreadsGiveIdenticalBits() {
        SplittableRandom rng = random();
        for (int[] s : SHAPES) {
            for (Transpose ta : Transpose.values()) {
                for (Transpose tb : Transpose.values()) {
                    float[] expected = run(new CpuBackend(1, SimdWidth.preferred()), rng, s, ta, tb, 7);
                    for (int threads : new int[] {2, 3}) {
                        float[] actual = run(new CpuBackend(threads, SimdWidth.preferred()), rng, s, ta, tb, 7);
                        assertArrayEquals(expected, actual, "threads=" + threads + " shape " + s[0] + "x" + s[1]
                                + "x" + s[2] + " " + ta + "/" + tb);
                    }
                }
            }
        }
    }

    @Test
    void everyVectorWidthGivesIdenticalBits() {
        SplittableRandom rng = random();
        for (int[] s : SHAPES) {
            float[] expected = run(new CpuBackend(2, SimdWidth.SCALAR), rng, s, Transpose.NO, Transpose.NO, 11);
            for (SimdWidth w : SimdWidth.values()) {
                float[] actual = run(new CpuBackend(2, w), rng, s, Transpose.NO, Transpose.NO, 11);
                assertArrayEquals(expected, actual, "width " + w + " vs scalar, shape " + s[0] + "x" + s[1] + "x" + s[2]);
            }
        }
    }

    @Test
    void steadyStateGemmAllocatesNothing() {
        // scalar width: the interpreter boxes Vector API objects until C2 compiles the micro-kernel, which
        // would hide what this checks (packing buffers are reused, not reallocated)
        try (CpuBackend cpu = new CpuBackend(1, SimdWidth.SCALAR)) {
            SplittableRandom rng = random();
            int m = 100;
            int n = 150;
            int k = 300;
            float[] a = uniform(rng, m * k);
            float[] b = uniform(rng, k * n);
            float[] c = new float[m * n];
            cpu.gemm(Transpose.NO, Transpose.NO, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 5; i++) {
                cpu.gemm(Transpose.NO, Transpose.YES, m, n, k, 1f, a, 0, k, b, 0, k, 0.5f, c, 0, n);
            }
            long allocated = mx.getCurrentThreadAllocatedBytes() - before;
            assertTrue(allocated < 1024, "5 steady-state GEMM calls allocated " + allocated + " bytes");
        }
    }

    @Test
    void configuredThreadsReadsTheProperty() {
        String old = System.getProperty(CpuBackend.THREADS_PROPERTY);
        try {
            System.setProperty(CpuBackend.THREADS_PROPERTY, "3");
            assertEquals(3, CpuBackend.configuredThreads());
            System.setProperty(CpuBackend.THREADS_PROPERTY, "0");
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, CpuBackend::configuredThreads);
        } finally {
            if (old == null) {
                System.clearProperty(CpuBackend.THREADS_PROPERTY);
            } else {
                System.setProperty(CpuBackend.THREADS_PROPERTY, old);
            }
        }
    }

    /** Same data for every call with the same seed offset (a fresh generator from the class seed + salt). */
    private float[] run(CpuBackend cpu, SplittableRandom unused, int[] s, Transpose ta, Transpose tb, long salt) {
        try (cpu) {
            SplittableRandom rng = new SplittableRandom(SEED + salt);
            int m = s[0];
            int n = s[1];
            int k = s[2];
            float[] a = uniform(rng, m * k);
            float[] b = uniform(rng, k * n);
            float[] c = uniform(rng, m * n);
            cpu.gemm(ta, tb, m, n, k, 0.75f, a, 0, ta.transposed() ? m : k, b, 0, tb.transposed() ? k : n,
                    -0.5f, c, 0, n);
            return c;
        }
    }
}
