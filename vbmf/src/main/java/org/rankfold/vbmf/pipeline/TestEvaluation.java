package org.rankfold.vbmf.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.rankfold.datasets.io.AtomicFiles;
import org.rankfold.datasets.loader.Batch;
import org.rankfold.datasets.loader.DataLoader;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.npy.NpyFormat;
import org.rankfold.engine.infer.InferencePlan;
import org.rankfold.engine.infer.PlanEvaluator;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.tensor.GradMode;
import org.rankfold.engine.tensor.StepArena;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.engine.train.ComputeDevices;

/**
 * The one evaluation of a final model on the test set: mean loss, accuracy and the predicted class of every test
 * image in the loader's order (top-1, the first index of each row's maximum, as the engine's accuracy counts), so
 * that two models can be compared image by image (McNemar's test, a paired bootstrap: the sweep's statistics).
 * Runs in evaluation mode without gradients (the compiled inference plan, as the engine's plan evaluator); the
 * model's mode is restored.
 *
 * @param loss        mean cross-entropy
 * @param accuracy    fraction of test images predicted right
 * @param predictions predicted class per test image
 */
record TestEvaluation(double loss, double accuracy, int[] predictions) {

    /**
     * Evaluates through the compiled {@link InferencePlan} (the same logits as the engine's {@code PlanEvaluator});
     * with a compute device (OpenCL) installed, through the model's own forward pass on the host, since the device
     * evaluation returns no logits.
     */
    static TestEvaluation evaluate(Module model, DataLoader loader) {
        return ComputeDevices.current() == null ? throughPlan(model, loader) : throughModel(model, loader);
    }

    private static TestEvaluation throughPlan(Module model, DataLoader loader) {
        Tally t = new Tally(loader.dataset().size());
        PlanEvaluator.forEachBatch(model, loader, (b, logits, loss) -> t.add(logits, b.labels(), b.size(), loss));
        return t.result();
    }

    private static TestEvaluation throughModel(Module model, DataLoader loader) {
        boolean wasTraining = model.isTraining();
        model.eval();
        Tally t = new Tally(loader.dataset().size());
        try (GradMode.Scope _ = GradMode.noGrad(); DataLoader.Epoch it = loader.epoch(0)) {
            for (Batch b : it) {
                Tensor x = Tensor.wrap(b.images(), b.size(), b.channels(), b.height(), b.width());
                try (StepArena.Scope _ = StepArena.open()) {
                    Tensor logits = model.forward(x);
                    t.add(logits.data(), b.labels(), b.size(), logits.crossEntropy(b.labels()).item());
                }
                loader.recycle(b);
            }
        } finally {
            model.train(wasTraining);
        }
        return t.result();
    }

    /** Loss, hits and predictions accumulated batch by batch, in loader order. */
    private static final class Tally {
        private final int[] predicted;
        private double lossSum;
        private long correct;
        private int at;

        Tally(int images) {
            predicted = new int[images];
        }

        /** One batch: its row-major logits, labels, size and mean loss. */
        void add(float[] l, int[] labels, int size, double meanLoss) {
            lossSum += meanLoss * size;
            int k = l.length / size;
            for (int i = 0; i < size; i++) {
                // the first index of the row's maximum, as the engine's accuracy counts
                int best = 0;
                for (int j = 1; j < k; j++) {
                    if (l[i * k + j] > l[i * k + best]) {
                        best = j;
                    }
                }
                predicted[at + i] = best;
                if (best == labels[i]) {
                    correct++;
                }
            }
            at += size;
        }

        TestEvaluation result() {
            if (at != predicted.length) {
                throw new IllegalStateException("the test loader yielded " + at + " images, expected " + predicted.length);
            }
            return new TestEvaluation(lossSum / at, (double) correct / at, predicted);
        }
    }

    /** Writes {@code values} (classes or labels) as a one-dimensional {@code .npy} of uint8, atomically. */
    static void writeNpy(Path file, int[] values) throws IOException {
        byte[] b = new byte[values.length];
        for (int i = 0; i < b.length; i++) {
            if (values[i] < 0 || values[i] > 255) {
                throw new IllegalArgumentException("class " + values[i] + " does not fit predictions' uint8");
            }
            b[i] = (byte) values[i];
        }
        Files.createDirectories(file.getParent());
        byte[] npy = NpyFormat.toBytes(NpyArray.ofBytes(new int[] {b.length}, b));
        AtomicFiles.write(file, out -> out.write(npy));
    }
}
