package org.rankfold.vbmf.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.rankfold.datasets.io.AtomicFiles;
import org.rankfold.datasets.loader.Batch;
import org.rankfold.datasets.loader.DataLoader;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.npy.NpyFormat;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.tensor.GradMode;
import org.rankfold.engine.tensor.StepArena;
import org.rankfold.engine.tensor.Tensor;

/**
 * The one evaluation of a final model on the test set: mean loss, accuracy and the predicted class of every test
 * image in the loader's order (top-1, the first index of each row's maximum, as the engine's accuracy counts), so
 * that two models can be compared image by image (McNemar's test, a paired bootstrap: the sweep's statistics).
 * Runs on the host in evaluation mode without gradients; the model's mode is restored.
 *
 * @param loss        mean cross-entropy
 * @param accuracy    fraction of test images predicted right
 * @param predictions predicted class per test image
 */
record TestEvaluation(double loss, double accuracy, int[] predictions) {

    static TestEvaluation evaluate(Module model, DataLoader loader) {
        boolean wasTraining = model.isTraining();
        model.eval();
        int n = loader.dataset().size();
        int[] predicted = new int[n];
        double lossSum = 0;
        long correct = 0;
        int at = 0;
        try (GradMode.Scope _ = GradMode.noGrad(); DataLoader.Epoch it = loader.epoch(0)) {
            for (Batch b : it) {
                Tensor x = Tensor.wrap(b.images(), b.size(), b.channels(), b.height(), b.width());
                try (StepArena.Scope _ = StepArena.open()) {
                    Tensor logits = model.forward(x);
                    lossSum += (double) logits.crossEntropy(b.labels()).item() * b.size();
                    float[] l = logits.data();
                    int k = l.length / b.size();
                    for (int i = 0; i < b.size(); i++) {
                        int best = 0;
                        for (int j = 1; j < k; j++) {
                            if (l[i * k + j] > l[i * k + best]) {
                                best = j;
                            }
                        }
                        predicted[at + i] = best;
                        if (best == b.labels()[i]) {
                            correct++;
                        }
                    }
                }
                at += b.size();
                loader.recycle(b);
            }
        } finally {
            model.train(wasTraining);
        }
        if (at != n) {
            throw new IllegalStateException("the test loader yielded " + at + " images, expected " + n);
        }
        return new TestEvaluation(lossSum / n, (double) correct / n, predicted);
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
