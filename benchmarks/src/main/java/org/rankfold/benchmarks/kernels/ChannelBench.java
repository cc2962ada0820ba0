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
import org.rankfold.kernels.cpu.CpuBackend;
import org.rankfold.kernels.ref.ChannelRef;

/**
 * Batch norm's per-channel kernels on a batch-128 activation (N, C, HW): the forward's sums and centring with
 * squares and its affine map (with and without ReLU), the backward's (ReLU-masked) sums with dot products and the input
 * gradient. Shapes: ResNet-20's three stages on 32x32 inputs and 28x28 planes (784, 196, 49). The
 * reductions are validated against the reference in setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ChannelBench {

    /** N x C x HW. */
    @Param({"128x16x1024", "128x32x256", "128x64x64", "128x16x784", "128x32x196", "128x64x49"})
    public String shape;

    @Param({"1"})
    public int threads;

    private CpuBackend backend;
    private int n;
    private int c;
    private int hw;
    private float[] x;
    private float[] y;
    private float[] dy;
    private float[] dx;
    private float[] shift;
    private float[] scale;
    private double[] sums;
    private double[] dots;

    @Setup
    public void setup() {
        String[] dims = shape.split("x");
        n = Integer.parseInt(dims[0]);
        c = Integer.parseInt(dims[1]);
        hw = Integer.parseInt(dims[2]);
        int len = n * c * hw;
        SplittableRandom rng = new SplittableRandom(5);
        x = BenchSetup.uniform(rng, len);
        dy = BenchSetup.uniform(rng, len);
        y = new float[len];
        dx = new float[len];
        shift = BenchSetup.uniform(rng, c);
        scale = BenchSetup.uniform(rng, c);
        sums = new double[c];
        dots = new double[c];
        backend = new CpuBackend(threads);

        double[] expected = new double[c];
        ChannelRef.channelSums(n, c, hw, x, 0, expected);
        backend.channelSums(n, c, hw, x, 0, sums);
        check("channelSums", expected, sums);
        ChannelRef.channelDots(n, c, hw, dy, 0, x, 0, expected);
        backend.channelSumsAndDots(n, c, hw, dy, 0, x, 0, sums, dots);
        check("channelSumsAndDots", expected, dots);
    }

    private void check(String what, double[] expected, double[] actual) {
        for (int i = 0; i < c; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= 1e-9 * (1 + Math.abs(expected[i])))) {
                throw new IllegalStateException(what + " " + shape + " differs from the reference at channel " + i
                        + ": " + actual[i] + " vs " + expected[i]);
            }
        }
    }

    @TearDown
    public void tearDown() {
        backend.close();
    }

    @Benchmark
    public double sums() {
        backend.channelSums(n, c, hw, x, 0, sums);
        return sums[0];
    }

    @Benchmark
    public double centerSquares() {
        backend.channelCenterSquares(n, c, hw, x, 0, shift, y, 0, sums);
        return sums[0];
    }

    @Benchmark
    public float affine() {
        backend.channelAffine(n, c, hw, x, 0, scale, shift, y, 0);
        return y[0];
    }

    @Benchmark
    public float affineRelu() {
        backend.channelAffineRelu(n, c, hw, x, 0, scale, shift, y, 0);
        return y[0];
    }

    @Benchmark
    public double sumsAndDots() {
        backend.channelSumsAndDots(n, c, hw, dy, 0, x, 0, sums, dots);
        return dots[0];
    }

    @Benchmark
    public double maskedSumsAndDots() {
        backend.channelMaskedSumsAndDots(n, c, hw, dy, 0, x, 0, x, 0, sums, dots);
        return dots[0];
    }

    @Benchmark
    public float combineAccumulate() {
        backend.channelCombineAccumulate(n, c, hw, dy, 0, scale, x, 0, scale, shift, dx, 0);
        return dx[0];
    }
}
