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
import org.rankfold.kernels.Conv2dGeometry;
import org.rankfold.kernels.cpu.CpuBackend;
import org.rankfold.kernels.ref.PoolRef;

/**
 * Pooling of a batch-128 activation: N*C planes of H x W, max pooling 2x2 stride 2 (fashionnet) and 3x3
 * stride 2 pad 1, average pooling 2x2, forward and backward. Validated against the reference in setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PoolBench {

    /** planes x H x W / kernel / stride / padding. */
    @Param({"4096x28x28/2/2/0", "8192x14x14/3/2/1"})
    public String layer;

    @Param({"1"})
    public int threads;

    private CpuBackend backend;
    private Conv2dGeometry g;
    private float[] x;
    private float[] y;
    private int[] argmax;
    private float[] dy;
    private float[] dx;

    @Setup
    public void setup() {
        String[] parts = layer.split("/");
        String[] phw = parts[0].split("x");
        g = Conv2dGeometry.square(Integer.parseInt(phw[0]), Integer.parseInt(phw[1]), Integer.parseInt(phw[2]),
                Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), Integer.parseInt(parts[3]));
        SplittableRandom rng = new SplittableRandom(3);
        int out = g.channels() * g.outHeight() * g.outWidth();
        x = BenchSetup.uniform(rng, g.inputSize());
        y = new float[out];
        argmax = new int[out];
        dy = BenchSetup.uniform(rng, out);
        dx = new float[g.inputSize()];
        backend = new CpuBackend(threads);

        float[] yRef = new float[out];
        int[] argRef = new int[out];
        PoolRef.maxPoolForward(g, x, 0, yRef, 0, argRef, 0);
        backend.maxPoolForward(g, x, 0, y, 0, argmax, 0);
        BenchSetup.checkClose("maxpool " + layer, yRef, y, 0);
        PoolRef.avgPoolForward(g, true, x, 0, yRef, 0);
        backend.avgPoolForward(g, true, x, 0, y, 0);
        BenchSetup.checkClose("avgpool " + layer, yRef, y, 1e-6);
    }

    @TearDown
    public void tearDown() {
        backend.close();
    }

    @Benchmark
    public float maxForward() {
        backend.maxPoolForward(g, x, 0, y, 0, argmax, 0);
        return y[0];
    }

    @Benchmark
    public float maxBackward() {
        backend.maxPoolBackward(g, dy, 0, argmax, 0, dx, 0);
        return dx[0];
    }

    @Benchmark
    public float avgForward() {
        backend.avgPoolForward(g, true, x, 0, y, 0);
        return y[0];
    }

    @Benchmark
    public float avgBackward() {
        backend.avgPoolBackward(g, true, dy, 0, dx, 0);
        return dx[0];
    }
}
