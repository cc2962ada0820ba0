package org.rankfold.engine;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.engine.nn.NonFiniteGuard;
import org.rankfold.engine.optim.Sgd;
import org.rankfold.engine.regularize.OrthogonalRegularizer;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.zoo.ModelZoo;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end: ten seeded SGD steps of a small ResNet with an orthogonality penalty on one batch must be
 * bitwise reproducible and must lower the loss (the pieces work together: forward, loss + regularizer,
 * backward through BN/residuals/pooling, optimizer).
 */
class TrainingStepTest extends SeededTest {

    private float[] run(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Module model = ModelZoo.create("resnet20", 1, 8, 4, seed);
        NonFiniteGuard.attach(model);
        Tensor x = Tensor.randn(rng, 8, 1, 8, 8);
        int[] labels = new int[8];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rng.nextInt(4);
        }
        Sgd opt = new Sgd(model.parameters(), 0.05, 0.9, 0, 5e-4, true);
        OrthogonalRegularizer reg = OrthogonalRegularizer.parse("so");
        Tensor convWeight = model.namedParameters().get("layer1.0.conv1.weight");
        float[] losses = new float[10];
        for (int step = 0; step < losses.length; step++) {
            opt.zeroGrad();
            Tensor loss = model.forward(x).crossEntropy(labels);
            losses[step] = loss.item();
            loss.add(reg.total(java.util.List.of(convWeight), 1e-3)).backward();
            NonFiniteGuard.checkParameterGradients(model);
            opt.step();
        }
        return losses;
    }

    @Test
    void tenStepsAreReproducibleAndLearn() {
        float[] a = run(11);
        float[] b = run(11);
        assertArrayEquals(a, b, "same seed, same backend: bitwise identical losses");
        assertTrue(a[9] < 0.5 * a[0], "loss falls on a single memorized batch: " + java.util.Arrays.toString(a));
    }
}
