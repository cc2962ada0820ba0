package org.rankfold.engine.infer;

import java.util.function.Consumer;

import org.rankfold.datasets.loader.Batch;
import org.rankfold.datasets.loader.DataLoader;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.train.Accuracy;
import org.rankfold.engine.train.BatchProgress;
import org.rankfold.engine.train.ComputeDevices;
import org.rankfold.engine.train.EvalResult;
import org.rankfold.engine.train.Evaluator;
import org.rankfold.kernels.Backend;
import org.rankfold.kernels.Backends;

/**
 * Loss and accuracy of a model on a loader's epoch 0, like {@link Evaluator}, through a compiled
 * {@link InferencePlan} instead of the autograd path. The plan is compiled once, for the loader's image
 * shape, from the model's current weights. With a compute device (OpenCL) installed, {@link Evaluator} runs
 * the forward passes there instead.
 */
public final class PlanEvaluator {
    private PlanEvaluator() {
    }

    public static EvalResult evaluate(Module model, DataLoader loader) {
        return evaluate(model, loader, 1, 1, p -> { });
    }

    /** As {@link #evaluate(Module, DataLoader)}, reporting each batch as epoch {@code epoch} of {@code epochs}. */
    public static EvalResult evaluate(Module model, DataLoader loader, int epoch, int epochs,
                                      Consumer<BatchProgress> progress) {
        if (ComputeDevices.current() != null) {
            return Evaluator.evaluate(model, loader, epoch, epochs, progress);
        }
        InferencePlan plan = InferencePlan.compile(model, loader.dataset().channels(), loader.dataset().height(),
                loader.dataset().width());
        double lossSum = 0;
        long correct = 0;
        long images = 0;
        long start = System.nanoTime();
        int batches = loader.batchesPerEpoch();
        float[] logProbs = new float[0];
        try (DataLoader.Epoch it = loader.epoch(0)) {
            for (Batch b : it) {
                float[] logits = plan.run(b.images(), 0, b.size());
                if (logProbs.length < logits.length) {
                    logProbs = new float[logits.length];
                }
                Backend be = Backends.current();
                double loss = be.softmaxCrossEntropy(b.size(), plan.classes(), logits, 0, b.labels(), logProbs, 0);
                lossSum += loss * b.size();
                correct += Accuracy.correct(logits, b.labels());
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
