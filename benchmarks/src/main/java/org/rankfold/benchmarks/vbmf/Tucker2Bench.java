package org.rankfold.benchmarks.vbmf;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.rankfold.vbmf.tensor.DenseTensor;
import org.rankfold.vbmf.tensor.Norms;
import org.rankfold.vbmf.tucker.Tucker2;
import org.rankfold.vbmf.tucker.Tucker2Options;
import org.rankfold.vbmf.tucker.Tucker2Result;

/**
 * Tucker-2 (HOSVD init + HOOI with TensorLy's stopping rule) of a [64, 64, 3, 3] kernel with planted
 * ranks (12, 12) plus noise, at the planted ranks, at EVBMF-like ranks of a trained layer (14, 13) and at
 * half rank (32, 32).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Tucker2Bench {
    @Param({"12,12", "14,13", "32,32"})
    public String ranks;

    private DenseTensor kernel;
    private int rankOut;
    private int rankIn;

    @Setup
    public void setup() {
        kernel = LowRankKernels.plantedKernel(64, 64, 3, 12, 12, 0.05);
        String[] r = ranks.split(",");
        rankOut = Integer.parseInt(r[0]);
        rankIn = Integer.parseInt(r[1]);
        // validate before timing: the reported error is the reconstruction's, and HOOI is not worse than HOSVD
        Tucker2Result t = decompose();
        double err = Norms.frobeniusOfDifference(kernel.values(), t.reconstruction().values()) / kernel.frobeniusNorm();
        if (Math.abs(err - t.relativeError()) > 1e-12 || t.relativeError() > t.hosvdRelativeError() + 1e-12) {
            throw new IllegalStateException("Tucker-2 check failed: " + t + ", reconstruction error " + err);
        }
    }

    @Benchmark
    public Tucker2Result decompose() {
        return Tucker2.decompose(kernel, rankOut, rankIn, Tucker2Options.tensorly());
    }
}
