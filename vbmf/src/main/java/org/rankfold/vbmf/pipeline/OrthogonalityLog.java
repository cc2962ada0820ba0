package org.rankfold.vbmf.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;

import org.rankfold.engine.nn.Module;
import org.rankfold.engine.regularize.OrthogonalRegularizer;
import org.rankfold.engine.tensor.Tensor;

/**
 * {@code orthogonality.csv} of a run directory ({@code phase,epoch,weight,frobenius}): after every training
 * epoch, for every weight orthogonal regularization can target (the factors A, B of factorized convs and the
 * plain conv/linear weights, {@link OrthogonalRegularizer#targets}), {@code ||P||_F} with
 * {@code P = M M^T - I_m} for the weight as an m x n matrix M with m &lt;= n, else {@code M^T M - I_n}
 * (docs/method.md; the square root of the SO penalty), computed in float64. It shows how far from orthogonal
 * each variant's weights are, whether or not they were regularized.
 */
final class OrthogonalityLog {
    static final String HEADER = "phase,epoch,weight,frobenius";

    private OrthogonalityLog() {
    }

    static Path file(RunDirectory run) {
        return run.root().resolve("orthogonality.csv");
    }

    /** Drops the rows of {@code phase} after epoch {@code epochs} (a resumed phase keeps the epochs it has). */
    static void keep(RunDirectory run, String phase, int epochs) throws IOException {
        RunDirectory.keepRows(file(run), HEADER, phase, epochs);
    }

    /** Appends one row per target weight of {@code model} for {@code epoch} of {@code phase}. */
    static void append(RunDirectory run, String phase, int epoch, Module model) throws IOException {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Tensor> e : OrthogonalRegularizer.targets(model, true).entrySet()) {
            b.append(String.format(Locale.ROOT, "%s,%d,%s,%.6g%n", phase, epoch, e.getKey(), frobenius(e.getValue())));
        }
        Files.writeString(file(run), b.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    /** {@code ||P||_F} of the weight viewed as (shape[0], rest). */
    static double frobenius(Tensor w) {
        int m = w.dim(0);
        int n = w.size() / m;
        float[] x = w.data();
        boolean rows = m <= n; // Gram of the rows (m x m) when wide, of the columns (n x n) when tall
        int k = rows ? m : n;
        double sum = 0;
        for (int i = 0; i < k; i++) {
            for (int j = i; j < k; j++) {
                double g = 0;
                if (rows) {
                    for (int t = 0; t < n; t++) {
                        g += (double) x[i * n + t] * x[j * n + t];
                    }
                } else {
                    for (int t = 0; t < m; t++) {
                        g += (double) x[t * n + i] * x[t * n + j];
                    }
                }
                double p = i == j ? g - 1 : g;
                sum += i == j ? p * p : 2 * p * p;
            }
        }
        return Math.sqrt(sum);
    }
}
