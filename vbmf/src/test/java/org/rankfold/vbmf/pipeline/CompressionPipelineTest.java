package org.rankfold.vbmf.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.datasets.DataSplit;
import org.rankfold.datasets.Dataset;
import org.rankfold.engine.checkpoint.CheckpointReader;
import org.rankfold.engine.nn.FactorizedConv2d;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tiny end-to-end run (fashionnet on 8x8 synthetic images, one epoch per phase) and a resume. */
class CompressionPipelineTest extends SeededTest {
    private static final int SIZE = 8;

    /** 1x8x8 images of 3 classes: class k has a bright 3x3 patch at column 3k of rows 1..3, plus noise. */
    private DataSplit data() {
        return data(random(), 192, 96);
    }

    /** {@code train} and {@code test} images of the 3 patch classes. */
    static DataSplit data(SplittableRandom rng, int train, int test) {
        return new DataSplit(images(rng, train, "train"), images(rng, test, "test"), "synthetic patches");
    }

    private static Dataset images(SplittableRandom rng, int n, String name) {
        float[] px = new float[n * SIZE * SIZE];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int k = rng.nextInt(3);
            labels[i] = k;
            for (int p = 0; p < SIZE * SIZE; p++) {
                px[i * SIZE * SIZE + p] = (float) (0.3 * rng.nextDouble());
            }
            for (int y = 1; y < 4; y++) {
                for (int x = 0; x < 3; x++) {
                    px[i * SIZE * SIZE + y * SIZE + 3 * k + x] += 0.7f;
                }
            }
        }
        return Dataset.ofFloats(name, 1, SIZE, SIZE, px, labels, List.of("a", "b", "c"));
    }

    private static CompressionConfig config() {
        return new ConfigBuilder(CompressionConfig.quick("fashionnet", 11)).epochs(1).finetuneEpochs(1).batchSize(32)
                .limitTrain(0).limitTest(0).build();
    }

    /** Records which phases ran and which were skipped. */
    private static final class Phases implements PipelineListener {
        final List<String> ran = new ArrayList<>();
        final List<String> skipped = new ArrayList<>();
        /** progress.json as it was when each phase had finished (what a run killed right then leaves). */
        final java.util.Map<String, byte[]> progressAfter = new java.util.HashMap<>();
        RunDirectory run;

        @Override
        public void phaseFinished(String phase, JsonNode result) {
            if (run != null) {
                try {
                    progressAfter.put(phase, Files.readAllBytes(run.progress()));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }

        @Override
        public void phaseStarted(String phase) {
            ran.add(phase);
        }

        @Override
        public void phaseSkipped(String phase) {
            skipped.add(phase);
        }
    }

    @Test
    void runsEveryPhaseWritesTheRunDirectoryAndResumes(@TempDir Path dir) throws IOException {
        RunDirectory run = new RunDirectory(dir);
        Phases phases = new Phases();
        phases.run = run;
        ObjectNode summary = new CompressionPipeline(config(), data(), run, phases).run(false);
        assertEquals(List.of("baseline", "plain/ranks", "plain/tucker", "plain/eval_before", "plain/finetune", "plain/eval",
                "full/train", "full/fold", "full/ranks", "full/tucker", "full/eval_before", "full/finetune", "full/eval",
                "baseline/finetune", "baseline/eval"), phases.ran);

        JsonNode s = new ObjectMapper().readTree(run.summary().toFile());
        for (String path : List.of("/baseline/accuracy", "/baseline/params", "/baseline/macs", "/compressed/accuracy",
                "/compressed/params", "/compressed/macs", "/params_ratio", "/macs_ratio", "/ablation/plain/accuracy",
                "/ablation/plain/accuracy_before_finetune", "/ablation/plain/params_ratio", "/ablation/plain/macs_ratio",
                "/ablation/full/accuracy", "/ablation/full/accuracy_before_finetune", "/ablation/full/params_ratio",
                "/ablation/full/macs_ratio", "/data/dataset", "/data/train_images", "/data/test_images", "/seed",
                "/wall_seconds/baseline", "/wall_seconds/full/tucker")) {
            assertFalse(s.at(path.replace("/full/tucker", "/full~1tucker")).isMissingNode(), "summary has " + path);
        }
        assertEquals(summary.toString(), s.toString());
        // the default validation split holds out a tenth of the 192 training images, seeded, recorded in config.json
        assertEquals(192 - 19, s.at("/data/train_images").asInt());
        JsonNode cfg = RunDirectory.readJson(run.config());
        assertEquals(19, cfg.at("/validation/images").asInt());
        assertEquals(11, cfg.at("/validation/seed").asInt());
        // the budget-matched baseline: the dense model fine-tuned like the variants, compared in the summary
        assertTrue(s.at("/baseline_matched/accuracy").isNumber());
        assertEquals(s.at("/ablation/full/accuracy").asDouble() - s.at("/baseline_matched/accuracy").asDouble(),
                s.at("/ablation/full/delta_vs_matched_baseline").asDouble(), 1e-12);
        // every final model's predictions, one class per test image, beside the labels
        int tests = s.at("/data/test_images").asInt();
        for (String p : List.of("labels", "baseline", "plain-eval", "full-eval", "full-eval_before", "baseline-eval")) {
            org.rankfold.datasets.npy.NpyArray a = org.rankfold.datasets.npy.NpyFormat.read(dir.resolve("predictions/" + p + ".npy"));
            assertArrayEquals(new int[] {tests}, a.shape(), p);
        }
        assertTrue(s.get("params_ratio").asDouble() > 1, "the compressed model is smaller: " + s.get("params_ratio"));
        boolean someTucker = false;
        for (JsonNode l : s.get("layers")) {
            for (String f : List.of("name", "shape", "r0", "r1", "sigma2_mode0", "sigma2_mode1", "relative_error")) {
                assertTrue(l.has(f), "layer row has " + f + ": " + l);
            }
            someTucker |= l.get("decomposition").asText().equals("tucker2");
        }
        assertTrue(someTucker);

        // the over-parameterized model was trained as factorized convs, folded before decomposition
        assertTrue(CheckpointReader.load(dir.resolve("checkpoints/full-train")).model().namedModules().values().stream()
                .anyMatch(m -> m instanceof FactorizedConv2d));
        assertTrue(Files.isDirectory(dir.resolve("checkpoints/full-fold")));

        // every rank in the audit can be recomputed from its singular values and sigma2
        int checked = 0;
        for (String line : Files.readAllLines(run.audit(), StandardCharsets.UTF_8)) {
            JsonNode rec = new ObjectMapper().readTree(line);
            if (rec.has("unfoldings")) {
                for (JsonNode u : rec.get("unfoldings")) {
                    assertEquals(recomputedRank(u), u.get("proposed_rank").asInt(), line);
                    checked++;
                }
            }
        }
        assertTrue(checked >= 4, "unfoldings checked: " + checked);

        List<String> metrics = Files.readAllLines(run.metrics(), StandardCharsets.UTF_8);
        assertEquals(RunDirectory.METRICS_HEADER, metrics.get(0));
        assertEquals(List.of("baseline", "plain/finetune", "full/train", "full/finetune", "baseline/finetune"),
                metrics.stream().skip(1).map(l -> l.substring(0, l.indexOf(','))).toList());
        // per-epoch evaluation on the validation images; the penalty's value logged where a regularizer trains
        assertTrue(metrics.stream().skip(1).allMatch(l -> l.endsWith(",validation")), metrics.toString());
        String fullTrain = metrics.stream().filter(l -> l.startsWith("full/train,")).findFirst().orElseThrow();
        assertTrue(Double.parseDouble(fullTrain.split(",")[8]) > 0, fullTrain);
        assertEquals("", metrics.stream().filter(l -> l.startsWith("baseline,")).findFirst().orElseThrow().split(",")[8]);

        List<String> ortho = Files.readAllLines(dir.resolve("orthogonality.csv"), StandardCharsets.UTF_8);
        assertEquals("phase,epoch,weight,frobenius", ortho.get(0));
        assertTrue(ortho.stream().anyMatch(l -> l.startsWith("full/train,1,conv2.a.weight,")), "factor rows of full/train");
        assertTrue(ortho.stream().anyMatch(l -> l.startsWith("baseline,1,conv2.weight,")), "plain rows of the baseline");
        assertTrue(s.at("/machine/cores").asInt() >= 1);

        // a run that died after full/tucker: resume runs only the rest and reproduces the result exactly, audit included
        List<String> audit = Files.readAllLines(run.audit(), StandardCharsets.UTF_8);
        Files.write(run.progress(), phases.progressAfter.get("full/tucker"));
        Phases again = new Phases();
        ObjectNode resumed = new CompressionPipeline(config(), data(), run, again).run(true);
        assertEquals(List.of("full/eval_before", "full/finetune", "full/eval", "baseline/finetune", "baseline/eval"),
                again.ran);
        assertEquals(10, again.skipped.size());
        assertEquals(s.at("/compressed/accuracy"), resumed.at("/compressed/accuracy"));
        assertEquals(s.at("/compressed/accuracy_before_finetune"), resumed.at("/compressed/accuracy_before_finetune"));
        assertEquals(withoutTimes(audit), withoutTimes(Files.readAllLines(run.audit(), StandardCharsets.UTF_8)),
                "the resumed run's audit has every record once, as the uninterrupted run's");

        // a fresh run into a used directory, or a resume with other settings, is refused
        assertThrows(IllegalArgumentException.class, () -> new CompressionPipeline(config(), data(), run, again).run(false));
        CompressionConfig other = new ConfigBuilder(config()).seed(12).build();
        assertThrows(IllegalArgumentException.class, () -> new CompressionPipeline(other, data(), run, again).run(true));
    }

    /** Audit lines without their wall times (the only fields that differ between two runs). */
    static List<String> withoutTimes(List<String> lines) {
        return lines.stream().map(l -> l.replaceAll("\"wall_seconds\":[^,}]*", "")).toList();
    }

    /** The EVBMF threshold (docs/method.md) from the record's sigma2 and shape; the rank counts singular values above it. */
    static int recomputedRank(JsonNode u) {
        double l = Math.min(u.get("shape").get(0).asInt(), u.get("shape").get(1).asInt());
        double m = Math.max(u.get("shape").get(0).asInt(), u.get("shape").get(1).asInt());
        double alpha = l / m;
        double tau = 2.5129 * Math.sqrt(alpha);
        double threshold = Math.sqrt(u.get("sigma2").asDouble() * m * (1 + tau) * (1 + alpha / tau));
        int rank = 0;
        for (JsonNode s : u.get("singular_values")) {
            rank += s.asDouble() > threshold ? 1 : 0;
        }
        return rank;
    }
}
