package org.rankfold.engine.train;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.optim.Sgd;
import org.rankfold.engine.tensor.StepArena;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.engine.zoo.ModelZoo;
import org.rankfold.kernels.Backend;
import org.rankfold.kernels.Backends;
import org.rankfold.kernels.cpu.CpuBackend;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Training steps give bit-identical losses and weights on 1, 2 and 3 CPU threads: the convolution's
 * image chunks depend on the layer shape only and every kernel splits outputs, never a reduction
 * (docs/architecture.md, threads and determinism). Batch 16 at 16x16 makes the first stage's convolutions use several
 * chunks, so the chunked weight-gradient accumulation is covered.
 */
class ThreadCountDeterminismTest extends SeededTest {

    private static float[][] train(int threads) {
        Backend saved = Backends.current();
        try (CpuBackend cpu = new CpuBackend(threads)) {
            Backends.setCurrent(cpu);
            SplittableRandom rng = new SplittableRandom(21);
            Module model = ModelZoo.create("resnet20", 3, 16, 10, 21);
            Tensor x = Tensor.randn(rng, 16, 3, 16, 16);
            int[] labels = new int[16];
            Arrays.setAll(labels, i -> rng.nextInt(10));
            Sgd sgd = Sgd.momentum(model.parameters(), 0.05, 0.9, 5e-4);
            float[] losses = new float[2];
            for (int step = 0; step < losses.length; step++) {
                model.train(true);
                sgd.zeroGrad();
                try (StepArena.Scope _ = StepArena.open()) {
                    Tensor loss = model.forward(x).crossEntropy(labels);
                    loss.backward();
                    sgd.step();
                    losses[step] = loss.item();
                }
            }
            float[] weights = model.namedParameters().get("layer1.0.conv1.weight").data().clone();
            return new float[][] {losses, weights};
        } finally {
            Backends.setCurrent(saved);
        }
    }

    @Test
    void oneTwoAndThreeThreadsTrainIdentically() {
        float[][] one = train(1);
        for (int threads : new int[] {2, 3}) {
            float[][] many = train(threads);
            assertArrayEquals(one[0], many[0], "losses, 1 vs " + threads + " threads");
            assertArrayEquals(one[1], many[1], "layer1.0.conv1.weight, 1 vs " + threads + " threads");
        }
    }
}
