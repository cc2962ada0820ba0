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
        var totals = new Object() {
            double lossSum;
            long correct;
            long images;
        };
        long start = System.nanoTime();
        int batches = loader.batchesPerEpoch();
        forEachBatch(model, loader, (b, logits, loss) -> {
            totals.lossSum += loss * b.size();
            totals.correct += Accuracy.correct(logits, b.labels());
            totals.images += b.size();
            double secs = (System.nanoTime() - start) / 1e9;
            long images = totals.images;
            progress.accept(new BatchProgress(BatchProgress.Phase.EVAL, epoch, epochs, b.index() + 1, batches, images,
                    totals.lossSum / images, (double) totals.correct / images, secs > 0 ? images / secs : 0, secs));
        });
        return new EvalResult(totals.lossSum / totals.images, (double) totals.correct / totals.images, totals.images);
    }

    /** One batch of a plan evaluation: the batch (labels, size), its row-major logits and its mean cross-entropy. */
    @FunctionalInterface
    public interface BatchSink {
        void accept(Batch batch, float[] logits, double meanLoss);
    }

    /**
     * The loop every plan evaluation shares: compiles {@code model} once for the loader's image shape, runs each batch
     * of epoch 0 through the plan and hands its logits and mean loss to {@code sink} before the batch is recycled
     * (the logits array is reused by the next batch).
     */
    public static void forEachBatch(Module model, DataLoader loader, BatchSink sink) {
        InferencePlan plan = InferencePlan.compile(model, loader.dataset().channels(), loader.dataset().height(),
                loader.dataset().width());
        float[] logProbs = new float[0];
        try (DataLoader.Epoch it = loader.epoch(0)) {
            for (Batch b : it) {
                float[] logits = plan.run(b.images(), 0, b.size());
                if (logProbs.length < logits.length) {
                    logProbs = new float[logits.length];
                }
                Backend be = Backends.current();
                double loss = be.softmaxCrossEntropy(b.size(), plan.classes(), logits, 0, b.labels(), logProbs, 0);
                sink.accept(b, logits, loss);
                loader.recycle(b);
            }
        }
    }
}
