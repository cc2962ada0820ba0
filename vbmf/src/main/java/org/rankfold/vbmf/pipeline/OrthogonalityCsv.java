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
import org.rankfold.engine.regularize.Orthogonality;
import org.rankfold.engine.tensor.Tensor;

/**
 * {@code orthogonality.csv} of a run directory ({@code phase,epoch,weight,frobenius}): after every training
 * epoch, for every weight orthogonal regularization can target (the factors A, B of factorized convs and the
 * plain conv/linear weights, {@link OrthogonalRegularizer#targets}), {@link Orthogonality#frobeniusDistance}
 * (docs/method.md; the square root of the SO penalty, computed in float64). It shows how far from orthogonal
 * each variant's weights are, whether or not they were regularized.
 */
final class OrthogonalityCsv {
    static final String HEADER = "phase,epoch,weight,frobenius";

    private OrthogonalityCsv() {
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
            b.append(String.format(Locale.ROOT, "%s,%d,%s,%.6g%n", phase, epoch, e.getKey(), Orthogonality.frobeniusDistance(e.getValue())));
        }
        Files.writeString(file(run), b.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }
}
