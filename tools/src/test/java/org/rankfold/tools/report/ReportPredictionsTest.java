package org.rankfold.tools.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.npy.NpyFormat;
import org.rankfold.kernels.testing.SeededTest;
import org.w3c.dom.Element;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-class section: confusion counts recomputed from the run's .npy files, final models only. */
class ReportPredictionsTest extends SeededTest {
    private static final int CLASSES = 4;
    private static final int IMAGES = 300;

    @TempDir
    Path dir;

    @Test
    void confusionOfEachFinalModelMatchesThePredictionFiles() throws Exception {
        SplittableRandom rng = random();
        SyntheticRun.write(dir, rng, true);
        Path p = dir.resolve("predictions");
        Files.createDirectories(p);
        write(p.resolve("labels.npy"), rng);
        for (String phase : List.of("baseline", "full-eval_before", "full-train", "full-eval", "plain-eval")) {
            write(p.resolve(phase + ".npy"), rng);
        }
        ReportDom d = new ReportDom(Files.readString(ReportBuilder.write(dir, List.of())));
        List<Element> tables = d.all(null, "table").stream().filter(t -> t.getAttribute("class").equals("confusion")).toList();
        List<String> finals = List.of("baseline", "full-eval", "plain-eval");
        assertEquals(finals.size(), tables.size(), "one confusion matrix per final model, none for eval_before or train");
        List<Element> accuracy = d.all(null, "table").stream().filter(t -> t.getAttribute("class").equals("per-class-accuracy")).toList();
        assertEquals(finals.size(), accuracy.size());
        int[] labels = read(p.resolve("labels.npy"));
        for (int f = 0; f < finals.size(); f++) {
            int[] predicted = read(p.resolve(finals.get(f) + ".npy"));
            long[][] expected = new long[CLASSES][CLASSES];
            for (int i = 0; i < IMAGES; i++) {
                expected[labels[i]][predicted[i]]++;
            }
            List<Element> rows = d.all(tables.get(f), "tr");
            assertEquals(CLASSES + 1, rows.size(), "header and one row per class");
            List<Element> accRows = d.all(accuracy.get(f), "tr");
            for (int t = 0; t < CLASSES; t++) {
                List<Element> cells = d.all(rows.get(t + 1), "td");
                long total = 0;
                for (int q = 0; q < CLASSES; q++) {
                    assertEquals(String.valueOf(expected[t][q]), cells.get(q + 1).getTextContent(), finals.get(f) + " [" + t + "][" + q + "]");
                    total += expected[t][q];
                }
                List<Element> acc = d.all(accRows.get(t + 1), "td");
                assertEquals(String.valueOf(total), acc.get(1).getTextContent());
                assertEquals(String.valueOf(expected[t][t]), acc.get(2).getTextContent());
                assertEquals(String.format("%.4f", expected[t][t] / (double) total), acc.get(3).getTextContent());
            }
        }
    }

    @Test
    void classesAreNamedFromTheBaselineCheckpoint() throws Exception {
        SplittableRandom rng = random();
        SyntheticRun.write(dir, rng, true);
        Path p = Files.createDirectories(dir.resolve("predictions"));
        write(p.resolve("labels.npy"), rng);
        write(p.resolve("baseline.npy"), rng);
        Path ckpt = Files.createDirectories(dir.resolve("checkpoints").resolve("baseline"));
        Files.writeString(ckpt.resolve("state.json"),
                "{\"preprocessing\": {\"mean\": [0.5], \"std\": [0.25], \"class_names\": [\"cat\", \"dog\", \"emu\", \"<fox>\"]}}");
        ReportDom d = new ReportDom(Files.readString(ReportBuilder.write(dir, List.of())));
        Element table = d.all(null, "table").stream().filter(t -> t.getAttribute("class").equals("confusion")).findFirst().orElseThrow();
        List<Element> rows = d.all(table, "tr");
        assertEquals("3 <fox>", d.all(rows.get(0), "th").get(4).getTextContent());
        assertEquals("0 cat", d.all(rows.get(1), "td").get(0).getTextContent());
    }

    @Test
    void runWithoutPredictionsSaysSoInOneLine() throws Exception {
        SyntheticRun.write(dir, random(), true);
        String html = Files.readString(ReportBuilder.write(dir, List.of()));
        assertTrue(html.contains("saved no per-image predictions"));
        assertTrue(!html.contains("class=\"confusion\""));
    }

    private static void write(Path file, SplittableRandom rng) throws Exception {
        byte[] b = new byte[IMAGES];
        for (int i = 0; i < IMAGES; i++) {
            b[i] = (byte) rng.nextInt(CLASSES);
        }
        b[0] = CLASSES - 1; // every class present, so the matrix is CLASSES wide
        Files.write(file, NpyFormat.toBytes(NpyArray.ofBytes(new int[] {IMAGES}, b)));
    }

    private static int[] read(Path file) throws Exception {
        byte[] b = NpyFormat.read(file).asBytes();
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] & 0xff;
        }
        return out;
    }
}
