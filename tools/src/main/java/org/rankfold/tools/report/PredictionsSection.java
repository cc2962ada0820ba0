package org.rankfold.tools.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.rankfold.datasets.MalformedFileException;
import org.rankfold.datasets.io.RegularFiles;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.npy.NpyFormat;
import org.rankfold.vbmf.pipeline.RunDirectory;

/**
 * Per-class accuracy and confusion matrix of each final model, from {@code predictions/PHASE.npy} and
 * {@code predictions/labels.npy} (docs/file-formats.md), classes named from the baseline checkpoint's preprocessing where it records them, else by index. The final model of a variant is its {@code V-eval}
 * phase (after fine-tuning), else {@code V-train}; intermediate evaluations ({@code V-eval_before}) are left out.
 * Files are read as bounded regular files inside the run (a link, FIFO or device is refused).
 */
final class PredictionsSection {
    /** Test sets have at most this many images here (uint8 predictions: one byte each). */
    private static final long MAX_BYTES = 64L << 20;

    private PredictionsSection() {
    }

    static void write(HtmlPage page, RunContents run) throws IOException {
        page.heading(2, "per-class", "Per-class accuracy and confusion");
        Path dir = run.root().resolve("predictions");
        Path labelsFile = dir.resolve("labels.npy");
        if (!Files.isDirectory(dir) || !Files.isRegularFile(labelsFile)) {
            page.paragraph("This run saved no per-image predictions (predictions/labels.npy), so per-class results are not shown.");
            return;
        }
        int[] labels = classes(labelsFile, -1);
        List<String> names = classNames(run.root());
        for (String phase : finalPhases(dir)) {
            int[] predicted = classes(dir.resolve(phase + ".npy"), labels.length);
            int k = 1;
            for (int i = 0; i < labels.length; i++) {
                k = Math.max(k, Math.max(labels[i], predicted[i]) + 1);
            }
            long[][] confusion = confusion(labels, predicted, k);
            List<String> label = new ArrayList<>();
            for (int c = 0; c < k; c++) {
                label.add(c < names.size() ? c + " " + names.get(c) : String.valueOf(c));
            }
            page.heading(3, "per-class-" + phase, "Final model " + phase);
            List<List<String>> rows = new ArrayList<>();
            for (int c = 0; c < k; c++) {
                long total = 0;
                for (long n : confusion[c]) {
                    total += n;
                }
                rows.add(List.of(label.get(c), HtmlPage.num(String.valueOf(total)),
                        HtmlPage.num(String.valueOf(confusion[c][c])),
                        HtmlPage.num(total == 0 ? "-" : String.format("%.4f", confusion[c][c] / (double) total))));
            }
            page.table("per-class-accuracy", List.of("class", "test images", "correct", "accuracy"), rows);
            List<String> header = new ArrayList<>();
            header.add("true \\ predicted");
            for (int c = 0; c < k; c++) {
                header.add(label.get(c));
            }
            List<List<String>> matrix = new ArrayList<>();
            for (int t = 0; t < k; t++) {
                List<String> row = new ArrayList<>();
                row.add(label.get(t));
                for (int p = 0; p < k; p++) {
                    row.add(HtmlPage.num(String.valueOf(confusion[t][p])));
                }
                matrix.add(row);
            }
            page.table("confusion", header, matrix);
        }
    }

    /**
     * The class names of the baseline checkpoint's preprocessing ({@code checkpoints/baseline/state.json}),
     * empty when it or its {@code class_names} is absent (classes are then shown by index).
     */
    static List<String> classNames(Path root) throws IOException {
        Path state = root.resolve("checkpoints").resolve("baseline").resolve("state.json");
        if (!Files.isRegularFile(state)) {
            return List.of();
        }
        JsonNode n;
        try {
            n = RunDirectory.parse(new String(RegularFiles.readBounded(state, MAX_BYTES, RegularFiles.Links.REFUSE),
                    StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new MalformedFileException(state.toString(), -1, "not valid JSON: " + e.getOriginalMessage());
        }
        JsonNode names = n == null ? null : n.path("preprocessing").get("class_names");
        if (names == null || !names.isArray()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (JsonNode c : names) {
            out.add(c.asText());
        }
        return out;
    }

    /** {@code confusion[true][predicted]}: how many test images of class true the model called predicted. */
    static long[][] confusion(int[] labels, int[] predicted, int classes) {
        long[][] m = new long[classes][classes];
        for (int i = 0; i < labels.length; i++) {
            m[labels[i]][predicted[i]]++;
        }
        return m;
    }

    /** The phases whose model is final: baseline ones and each variant's last evaluation. */
    static List<String> finalPhases(Path dir) throws IOException {
        TreeSet<String> phases = new TreeSet<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.npy")) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                phases.add(name.substring(0, name.length() - ".npy".length()));
            }
        }
        phases.remove("labels");
        List<String> out = new ArrayList<>();
        for (String p : phases) {
            if (p.endsWith("-eval_before")) {
                continue;
            }
            if (p.endsWith("-train") && phases.contains(p.substring(0, p.length() - "-train".length()) + "-eval")) {
                continue;
            }
            out.add(p);
        }
        return out;
    }

    /** A one-dimensional uint8 .npy of classes; {@code expected} its length, or -1 for any. */
    private static int[] classes(Path file, int expected) throws IOException {
        NpyArray a = NpyFormat.parse(RegularFiles.readBounded(file, MAX_BYTES, RegularFiles.Links.REFUSE), file.toString());
        if (a.rank() != 1) {
            throw new MalformedFileException(file.toString(), 0, "expected a one-dimensional array of classes, got rank " + a.rank());
        }
        if (expected >= 0 && a.size() != expected) {
            throw new MalformedFileException(file.toString(), 0, "expected " + expected + " predictions (as many as labels.npy), got " + a.size());
        }
        if (a.dtype() != org.rankfold.datasets.npy.NpyDtype.UINT8) {
            throw new MalformedFileException(file.toString(), 0, "expected uint8 classes, got dtype " + a.dtype().descr());
        }
        byte[] b = a.asBytes();
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] & 0xff;
        }
        return out;
    }
}
