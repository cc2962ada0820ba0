package org.rankfold.tools.report;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.rankfold.datasets.MalformedFileException;
import org.rankfold.datasets.io.RegularFiles;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.npy.NpyFormat;

/**
 * Per-class accuracy and confusion matrix of each final model, from {@code predictions/PHASE.npy} and
 * {@code predictions/labels.npy} (docs/file-formats.md). The final model of a variant is its {@code V-eval}
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
        for (String phase : finalPhases(dir)) {
            int[] predicted = classes(dir.resolve(phase + ".npy"), labels.length);
            int k = 1;
            for (int i = 0; i < labels.length; i++) {
                k = Math.max(k, Math.max(labels[i], predicted[i]) + 1);
            }
            long[][] confusion = confusion(labels, predicted, k);
            page.heading(3, "per-class-" + phase, "Final model " + phase);
            List<List<String>> rows = new ArrayList<>();
            for (int c = 0; c < k; c++) {
                long total = 0;
                for (long n : confusion[c]) {
                    total += n;
                }
                rows.add(List.of(String.valueOf(c), HtmlPage.num(String.valueOf(total)),
                        HtmlPage.num(String.valueOf(confusion[c][c])),
                        HtmlPage.num(total == 0 ? "-" : String.format("%.4f", confusion[c][c] / (double) total))));
            }
            page.table("per-class-accuracy", List.of("class", "test images", "correct", "accuracy"), rows);
            List<String> header = new ArrayList<>();
            header.add("true \\ predicted");
            for (int c = 0; c < k; c++) {
                header.add(String.valueOf(c));
            }
            List<List<String>> matrix = new ArrayList<>();
            for (int t = 0; t < k; t++) {
                List<String> row = new ArrayList<>();
                row.add(String.valueOf(t));
                for (int p = 0; p < k; p++) {
                    row.add(HtmlPage.num(String.valueOf(confusion[t][p])));
                }
                matrix.add(row);
            }
            page.table("confusion", header, matrix);
        }
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
