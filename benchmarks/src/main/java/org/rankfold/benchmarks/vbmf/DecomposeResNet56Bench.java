package org.rankfold.benchmarks.vbmf;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

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
import org.rankfold.vbmf.audit.ConvCost;
import org.rankfold.vbmf.decompose.ConvDecision;
import org.rankfold.vbmf.decompose.KernelDecomposer;
import org.rankfold.vbmf.rank.EvbmfSelector;
import org.rankfold.vbmf.tensor.DenseTensor;
import org.rankfold.vbmf.tucker.Tucker2Options;

/**
 * EVBMF ranks + Tucker-2 of every 3x3 conv of a ResNet-56 for CIFAR (He et al. 2016: a 3 -> 16 stem, then
 * three stages of 9 basic blocks with 16, 32, 64 channels at 32x32, 16x16, 8x8; 55 convs), on one thread.
 * Kernels are planted low-rank (a quarter of the channels) plus noise, like trained ones.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class DecomposeResNet56Bench {
    private record Layer(DenseTensor kernel, ConvCost cost) {
    }

    private final List<Layer> layers = new ArrayList<>();

    @Setup
    public void setup() {
        SplittableRandom rng = new SplittableRandom(LowRankKernels.SEED);
        layers.add(layer(rng, 16, 3, 32, 32));
        int in = 16;
        int[] widths = {16, 32, 64};
        int[] sizes = {32, 16, 8};
        for (int stage = 0; stage < 3; stage++) {
            for (int block = 0; block < 9; block++) {
                int inSize = block == 0 && stage > 0 ? sizes[stage - 1] : sizes[stage];
                layers.add(layer(rng, widths[stage], in, inSize, sizes[stage]));
                layers.add(layer(rng, widths[stage], widths[stage], sizes[stage], sizes[stage]));
                in = widths[stage];
            }
        }
        // validate before timing: 55 convs, and every decomposed one reports a finite error below HOSVD's
        if (layers.size() != 55) {
            throw new IllegalStateException("ResNet-56 has 55 convs, built " + layers.size());
        }
        for (ConvDecision d : decomposeAll()) {
            if (d.applied() && !(d.tucker().relativeError() <= d.tucker().hosvdRelativeError() + 1e-12)) {
                throw new IllegalStateException("Tucker-2 check failed: " + d.tucker());
            }
        }
    }

    private static Layer layer(SplittableRandom rng, int out, int in, int inSize, int outSize) {
        DenseTensor w = LowRankKernels.plantedKernel(rng, out, in, 3, Math.max(1, out / 4), Math.max(1, in / 4), 0.05);
        return new Layer(w, new ConvCost(out, in, 3, 3, inSize, inSize, outSize, outSize, false));
    }

    @Benchmark
    public List<ConvDecision> decomposeAll() {
        EvbmfSelector selector = new EvbmfSelector();
        List<ConvDecision> out = new ArrayList<>(layers.size());
        for (Layer l : layers) {
            out.add(KernelDecomposer.tucker2("conv", l.kernel(), l.cost(), selector, Tucker2Options.tensorly()));
        }
        return out;
    }
}
