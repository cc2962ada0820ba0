package org.rankfold.engine.train;

import java.util.function.Consumer;

import org.rankfold.datasets.loader.Batch;
import org.rankfold.datasets.loader.DataLoader;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.tensor.GradMode;
import org.rankfold.engine.tensor.StepArena;
import org.rankfold.engine.tensor.Tensor;

/**
 * Loss and accuracy of a model on every batch of a loader's epoch 0, in evaluation mode (BN uses its
 * running statistics, dropout is off) and without recording gradients. The model's mode is restored.
 * With a {@link ComputeDevice} installed, the forward passes run there.
 */
public final class Evaluator {
    private Evaluator() {
    }

    public static EvalResult evaluate(Module model, DataLoader loader) {
        return evaluate(model, loader, 1, 1, p -> { });
    }

    /** As {@link #evaluate(Module, DataLoader)}, reporting each batch as epoch {@code epoch} of {@code epochs}. */
    public static EvalResult evaluate(Module model, DataLoader loader, int epoch, int epochs, Consumer<BatchProgress> progress) {
        ComputeDevice device = ComputeDevices.current();
        if (device != null) {
            return evaluateOn(device, model, loader, epoch, epochs, progress);
        }
        boolean wasTraining = model.isTraining();
        model.eval();
        double lossSum = 0;
        long correct = 0;
        long images = 0;
        long start = System.nanoTime();
        int batches = loader.batchesPerEpoch();
        try (GradMode.Scope _ = GradMode.noGrad(); DataLoader.Epoch it = loader.epoch(0)) {
            for (Batch b : it) {
                Tensor x = Tensor.wrap(b.images(), b.size(), b.channels(), b.height(), b.width());
                try (StepArena.Scope _ = StepArena.open()) {
                    Tensor logits = model.forward(x);
                    Tensor loss = logits.crossEntropy(b.labels());
                    lossSum += (double) loss.item() * b.size();
                    correct += Accuracy.correct(logits.data(), b.labels());
                }
                images += b.size();
                int index = b.index();
                loader.recycle(b);
                double secs = (System.nanoTime() - start) / 1e9;
                progress.accept(new BatchProgress(BatchProgress.Phase.EVAL, epoch, epochs, index + 1, batches, images,
                        lossSum / images, (double) correct / images, secs > 0 ? images / secs : 0, secs));
            }
        } finally {
            model.train(wasTraining);
        }
        return new EvalResult(lossSum / images, (double) correct / images, images);
    }

    /** The same on a device: the model is uploaded, each batch's loss and hits come back. */
    private static EvalResult evaluateOn(ComputeDevice device, Module model, DataLoader loader, int epoch, int epochs,
                                         Consumer<BatchProgress> progress) {
        double lossSum = 0;
        long correct = 0;
        long images = 0;
        long start = System.nanoTime();
        int batches = loader.batchesPerEpoch();
        try (DeviceSession session = device.open(model, null); DataLoader.Epoch it = loader.epoch(0)) {
            for (Batch b : it) {
                StepResult r = session.evalStep(b);
                lossSum += r.loss() * b.size();
                correct += r.correct();
                images += b.size();
                int index = b.index();
                loader.recycle(b);
                double secs = (System.nanoTime() - start) / 1e9;
                progress.accept(new BatchProgress(BatchProgress.Phase.EVAL, epoch, epochs, index + 1, batches, images,
                        lossSum / images, (double) correct / images, secs > 0 ? images / secs : 0, secs));
            }
        }
        return new EvalResult(lossSum / images, (double) correct / images, images);
    }
}
