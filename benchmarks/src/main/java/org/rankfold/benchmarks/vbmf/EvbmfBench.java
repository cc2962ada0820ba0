package org.rankfold.benchmarks.vbmf;

import java.util.concurrent.TimeUnit;

import org.ejml.data.DMatrixRMaj;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.rankfold.vbmf.evbmf.Evbmf;
import org.rankfold.vbmf.evbmf.VbmfResult;
import org.rankfold.vbmf.tensor.DenseTensor;
import org.rankfold.vbmf.tensor.Unfolding;

/**
 * EVBMF (sigma2 estimated) of a 64 x 576 matrix: the mode-0 unfolding of a [64, 64, 3, 3] kernel with
 * planted Tucker ranks (12, 12). {@code rankOnly} is what rank selection runs (singular values only);
 * {@code withFactors} also computes U and V.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EvbmfBench {
    private DMatrixRMaj matrix;

    @Setup
    public void setup() {
        DenseTensor w = LowRankKernels.plantedKernel(64, 64, 3, 12, 12, 0.05);
        matrix = Unfolding.unfold(w, 0);
        // validate before timing: the planted rank is found, and both paths agree
        VbmfResult a = Evbmf.run(matrix, Double.NaN, false);
        VbmfResult b = Evbmf.run(matrix, Double.NaN, true);
        if (a.rank() != 12 || b.rank() != 12 || a.sigma2() != b.sigma2()) {
            throw new IllegalStateException("EVBMF check failed: ranks " + a.rank() + ", " + b.rank());
        }
    }

    @Benchmark
    public VbmfResult rankOnly() {
        return Evbmf.run(matrix, Double.NaN, false);
    }

    @Benchmark
    public VbmfResult withFactors() {
        return Evbmf.run(matrix, Double.NaN, true);
    }
}
