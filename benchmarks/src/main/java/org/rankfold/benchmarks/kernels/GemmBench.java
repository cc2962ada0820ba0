package org.rankfold.benchmarks.kernels;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.rankfold.kernels.Transpose;
import org.rankfold.kernels.cpu.CpuBackend;

/**
 * SGEMM of the CPU backend: square 64..2048 and the im2col shapes of the model zoo (M = OC, K = C*3*3,
 * N = OH*OW*batch 128: 32x25088x288 and 64x8192x576). GFLOP/s = 2*M*N*K / (time per op).
 * Validated against the reference on sampled rows in setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GemmBench {

    /** M x N x K. */
    @Param({"64x64x64", "128x128x128", "256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048",
            "32x25088x288", "64x8192x576"})
    public String shape;

    @Param({"NN", "NT", "TN"})
    public String variant;

    @Param({"1"})
    public int threads;

    private CpuBackend backend;
    private Transpose ta;
    private Transpose tb;
    private int m;
    private int n;
    private int k;
    private float[] a;
    private float[] b;
    private float[] c;

    @Setup
    public void setup() {
        String[] dims = shape.split("x");
        m = Integer.parseInt(dims[0]);
        n = Integer.parseInt(dims[1]);
        k = Integer.parseInt(dims[2]);
        ta = variant.charAt(0) == 'T' ? Transpose.YES : Transpose.NO;
        tb = variant.charAt(1) == 'T' ? Transpose.YES : Transpose.NO;
        SplittableRandom rng = new SplittableRandom(42);
        a = BenchSetup.uniform(rng, m * k);
        b = BenchSetup.uniform(rng, k * n);
        c = new float[m * n];
        backend = new CpuBackend(threads);
        multiply();
        BenchSetup.checkGemmRows(ta, tb, m, n, k, a, b, c);
    }

    @TearDown
    public void tearDown() {
        backend.close();
    }

    @Benchmark
    public float multiply() {
        backend.gemm(ta, tb, m, n, k, 1f, a, 0, ta.transposed() ? m : k, b, 0, tb.transposed() ? k : n,
                0f, c, 0, n);
        return c[c.length - 1];
    }
}
