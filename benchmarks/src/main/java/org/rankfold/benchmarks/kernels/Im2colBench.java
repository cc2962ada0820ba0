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
import org.rankfold.kernels.ref.Im2colRef;

/**
 * im2col and col2im of one image for the zoo's 3x3 convolutions (pad 1): C x H x W = 32x28x28 (after the
 * first conv of fashionnet), 64x14x14, and a stride-2 case. Bytes moved per op: cols is written (read for
 * col2im) once, C*KH*KW*OH*OW*4 bytes. Validated against the reference in setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class Im2colBench {

    /** C x H x W / kernel / stride / padding. */
    @Param({"32x28x28/3/1/1", "64x14x14/3/1/1", "64x14x14/3/2/1"})
    public String layer;

    @Param({"1"})
    public int threads;

    private CpuBackend backend;
    private Conv2dGeometry g;
    private float[] x;
    private float[] cols;
    private float[] dx;

    @Setup
    public void setup() {
        String[] parts = layer.split("/");
        String[] chw = parts[0].split("x");
        g = Conv2dGeometry.square(Integer.parseInt(chw[0]), Integer.parseInt(chw[1]), Integer.parseInt(chw[2]),
                Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), Integer.parseInt(parts[3]));
        SplittableRandom rng = new SplittableRandom(7);
        x = BenchSetup.uniform(rng, g.inputSize());
        cols = new float[g.colRows() * g.colCols()];
        dx = new float[g.inputSize()];
        backend = new CpuBackend(threads);
        float[] expected = new float[cols.length];
        Im2colRef.im2col(g, x, 0, expected, 0);
        backend.im2col(g, x, 0, cols, 0);
        BenchSetup.checkClose("im2col " + layer, expected, cols, 0);
        float[] dxExpected = new float[g.inputSize()];
        Im2colRef.col2im(g, cols, 0, dxExpected, 0);
        backend.col2im(g, cols, 0, dx, 0);
        BenchSetup.checkClose("col2im " + layer, dxExpected, dx, 1e-5);
    }

    @TearDown
    public void tearDown() {
        backend.close();
    }

    @Benchmark
    public float im2col() {
        backend.im2col(g, x, 0, cols, 0);
        return cols[cols.length - 1];
    }

    @Benchmark
    public float col2im() {
        backend.col2im(g, cols, 0, dx, 0);
        return dx[dx.length - 1];
    }
}
