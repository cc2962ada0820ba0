package org.rankfold.tools.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

import org.rankfold.engine.nn.Module;
import org.rankfold.engine.optim.Sgd;
import org.rankfold.engine.tensor.GradMode;
import org.rankfold.engine.tensor.StepArena;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.engine.zoo.ModelZoo;
import org.rankfold.tools.UserError;

/**
 * Whole-network steps on random data of the model's input shape, the work {@code torch_train.py} times:
 * a training step is zero-grad, forward, cross-entropy, backward and an SGD step (momentum 0.9, weight
 * decay 5e-4, lr 0.05); an inference step is a forward pass in evaluation mode without gradients.
 * Inputs: (1, 28, 28) for fashionnet and lenet5, (3, 32, 32) for the CIFAR models, 10 classes.
 */
final class StepBench {
    private final Module model;
    private final Tensor x;
    private final int[] labels;
    private final Sgd sgd;
    private final int batch;

    StepBench(String name, int batch) {
        if (batch < 1) {
            throw new UserError("--batch must be >= 1, got " + batch);
        }
        if (!ModelZoo.names().contains(name.toLowerCase(Locale.ROOT))) {
            throw new UserError("unknown model '" + name + "'; known: " + String.join(", ", ModelZoo.names()));
        }
        int[] shape = inputShape(name);
        this.batch = batch;
        this.model = ModelZoo.create(name, shape[0], shape[1], 10, 1);
        SplittableRandom rng = new SplittableRandom(0);
        this.x = Tensor.randn(rng, batch, shape[0], shape[1], shape[1]);
        this.labels = new int[batch];
        Arrays.setAll(labels, i -> rng.nextInt(10));
        this.sgd = Sgd.momentum(model.parameters(), 0.05, 0.9, 5e-4);
    }

    /** (channels, size) of the benchmark input. */
    static int[] inputShape(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.equals("fashionnet") || n.equals("lenet5") ? new int[] {1, 28} : new int[] {3, 32};
    }

    /** One training step; returns the loss (checked finite before timing). */
    float trainStep() {
        model.train(true);
        sgd.zeroGrad();
        // activations come from the step arena, as in the trainer
        try (StepArena.Scope _ = StepArena.open()) {
            Tensor loss = model.forward(x).crossEntropy(labels);
            loss.backward();
            sgd.step();
            return loss.item();
        }
    }

    /** One inference step; returns the first logit. */
    float inferStep() {
        model.eval();
        try (GradMode.Scope _ = GradMode.noGrad(); StepArena.Scope _ = StepArena.open()) {
            return model.forward(x).data()[0];
        }
    }

    int batch() {
        return batch;
    }

    /** (C, H, W) of one input image. */
    int[] imageShape() {
        return new int[] {x.dim(1), x.dim(2), x.dim(3)};
    }
}
