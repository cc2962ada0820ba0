package org.rankfold.tools.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.rankfold.datasets.loader.Batch;
import org.rankfold.engine.infer.InferencePlan;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.optim.Sgd;
import org.rankfold.engine.tensor.GradMode;
import org.rankfold.engine.tensor.StepArena;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.engine.train.ComputeDevice;
import org.rankfold.engine.train.ComputeDevices;
import org.rankfold.engine.train.DeviceSession;
import org.rankfold.engine.zoo.ModelZoo;
import org.rankfold.tools.UserError;

/**
 * Whole-network steps on random data of the model's input shape, the work {@code torch_train.py} times:
 * a training step is zero-grad, forward, cross-entropy, backward and an SGD step (momentum 0.9, weight
 * decay 5e-4, lr 0.05); an inference step is a forward pass in evaluation mode without gradients.
 * Inputs: (1, 28, 28) for fashionnet and lenet5, (3, 32, 32) for the CIFAR models, 10 classes.
 * With an OpenCL device installed ({@code --device opencl}) the steps run on it with the model resident
 * (a step uploads the batch and reads back the loss and hits; the infer step is evaluation mode).
 */
final class StepBench implements AutoCloseable {
    private final Module model;
    private final Tensor x;
    private final int[] labels;
    private final Sgd sgd;
    private final int batch;
    private final Batch batchOnDevice;
    private final DeviceSession trainSession;
    private final DeviceSession inferSession;
    private InferencePlan plan;

    /** @param input (channels, size) of the input images, or null for the model's default ({@link #inputShape}) */
    StepBench(String name, int[] input, int batch) {
        if (batch < 1) {
            throw new UserError("--batch must be >= 1, got " + batch);
        }
        if (!ModelZoo.names().contains(name.toLowerCase(Locale.ROOT))) {
            throw new UserError("unknown model '" + name + "'; known: " + String.join(", ", ModelZoo.names()));
        }
        int[] shape = input != null ? input : inputShape(name);
        this.batch = batch;
        this.model = ModelZoo.create(name, shape[0], shape[1], 10, 1);
        SplittableRandom rng = new SplittableRandom(0);
        this.x = Tensor.randn(rng, batch, shape[0], shape[1], shape[1]);
        this.labels = new int[batch];
        Arrays.setAll(labels, i -> rng.nextInt(10));
        this.sgd = Sgd.momentum(model.parameters(), 0.05, 0.9, 5e-4);
        ComputeDevice device = ComputeDevices.current();
        if (device != null) {
            // --device opencl: the model stays resident; a step uploads the batch and reads back loss and hits
            this.batchOnDevice = new Batch(0, 0, x.data(), labels, shape[0], shape[1], shape[1]);
            this.trainSession = device.open(model, sgd);
            this.inferSession = device.open(model, null);
        } else {
            this.batchOnDevice = null;
            this.trainSession = null;
            this.inferSession = null;
        }
    }

    /** (channels, size) of the benchmark input. */
    static int[] inputShape(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.equals("fashionnet") || n.equals("lenet5") ? new int[] {1, 28} : new int[] {3, 32};
    }

    /** Parses {@code --input}: CxHxW (H = W) or CxS, with 1 <= C <= 64 and 4 <= S <= 512. */
    static int[] parseInput(String text) {
        String[] p = text.trim().toLowerCase(Locale.ROOT).split("x");
        try {
            if (p.length == 2 || p.length == 3) {
                int c = Integer.parseInt(p[0]);
                int h = Integer.parseInt(p[1]);
                int w = Integer.parseInt(p[p.length - 1]);
                if (h != w) {
                    throw new UserError("--input must be square (the zoo models take H = W), got '" + text + "'");
                }
                if (c < 1 || c > 64 || h < 4 || h > 512) {
                    throw new UserError("--input needs 1..64 channels and a size of 4..512, got '" + text + "'");
                }
                return new int[] {c, h};
            }
        } catch (NumberFormatException e) {
            // falls through to the error naming the expected form
        }
        throw new UserError("--input must be CxHxW such as 1x28x28, got '" + text + "'");
    }

    /** One training step; returns the loss (checked finite before timing). */
    float trainStep() {
        if (trainSession != null) {
            return (float) trainSession.trainStep(batchOnDevice, null, 0, 0).loss();
        }
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

    /**
     * Makes {@link #inferStep} run the compiled inference plan (on the CPU; a device session keeps its own
     * path), compiled from the model's current weights.
     */
    void usePlan() {
        plan = InferencePlan.compile(model, x.dim(1), x.dim(2), x.dim(3));
    }

    /** The plan's per-step time table over {@code reps} runs (after {@link #usePlan}). */
    List<String> perLayer(int reps) {
        if (plan == null) {
            throw new UserError("--per-layer times the plan's steps; it needs --engine plan on the CPU");
        }
        return PerLayer.table(plan, x, reps);
    }

    /** One inference step; returns the first logit. */
    float inferStep() {
        if (inferSession != null) {
            return (float) inferSession.evalStep(batchOnDevice).loss();
        }
        if (plan != null) {
            return plan.run(x.data(), 0, batch)[0];
        }
        model.eval();
        try (GradMode.Scope _ = GradMode.noGrad(); StepArena.Scope _ = StepArena.open()) {
            return model.forward(x).data()[0];
        }
    }

    @Override
    public void close() {
        if (trainSession != null) {
            trainSession.close();
            inferSession.close();
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
