package org.rankfold.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.engine.checkpoint.CheckpointReader;
import org.rankfold.engine.checkpoint.CheckpointWriter;
import org.rankfold.engine.nn.FactorizedConv2d;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.train.TrainingState;
import org.rankfold.engine.checkpoint.InputShape;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecomposeCommandTest extends SeededTest {

    private static Path checkpoint(Path dir) throws IOException {
        InputShape in = new InputShape(1, 8, 8, 3);
        Module m = in.createZooModel("fashionnet", 3);
        Path ck = dir.resolve("model");
        CheckpointWriter.save(ck, m, "fashionnet", in, TrainingState.initial(), null, null, null);
        return ck;
    }

    @Test
    void writesADecomposedCheckpointTheAuditAndTheTable(@TempDir Path dir) throws IOException {
        Path ck = checkpoint(dir);
        JsonNode j = CliRun.run("decompose", ck.toString(), "--json").json();
        Path out = dir.resolve("model-decomposed");
        assertEquals(out.toString(), j.get("out").asText());
        assertTrue(j.get("params_ratio").asDouble() > 1);
        assertEquals(6, j.get("layers").size(), "conv1..conv4, fc1, fc2");
        assertEquals("skipped", j.get("layers").get(0).get("decomposition").asText(), "first conv stays dense");
        assertEquals("tucker2", j.get("layers").get(1).get("decomposition").asText());
        Module loaded = CheckpointReader.load(out).model();
        assertTrue(loaded.namedModules().get("conv2") instanceof FactorizedConv2d);

        List<String> audit = Files.readAllLines(out.resolve("audit.jsonl"), StandardCharsets.UTF_8);
        assertEquals(6, audit.size());
        JsonNode conv2 = new ObjectMapper().readTree(audit.get(1));
        assertEquals("conv2", conv2.get("layer").asText());
        assertEquals(2, conv2.get("unfoldings").size());
        assertTrue(conv2.get("unfoldings").get(0).get("singular_values").size() == 32);

        CliRun.Result human = CliRun.run("decompose", ck.toString(), "--out", dir.resolve("other").toString(),
                "--selector", "ratio:0.5");
        assertEquals(0, human.code(), human.err());
        assertTrue(human.out().contains("total: params"), human.out());
        assertTrue(human.out().contains("conv2"), human.out());
    }

    @Test
    void speedAwareTimesEveryCandidateAndRecordsTheDecision(@TempDir Path dir) throws IOException {
        Path ck = checkpoint(dir);
        // --classifier: fc2 (the classifier, dense by default) is a candidate too
        JsonNode j = CliRun.run("decompose", ck.toString(), "--speed-aware", "--classifier", "--batch", "4", "--threads", "1",
                "--json").json();
        int timed = 0;
        for (String line : Files.readAllLines(dir.resolve("model-decomposed/audit.jsonl"), StandardCharsets.UTF_8)) {
            JsonNode rec = new ObjectMapper().readTree(line);
            JsonNode speed = rec.get("speed");
            if (speed == null) {
                continue;
            }
            timed++;
            assertTrue(speed.get("original_seconds").asDouble() > 0 && speed.get("decomposed_seconds").asDouble() > 0, line);
            assertEquals(4, speed.get("batch").asInt());
            assertEquals(1, speed.get("threads").asInt());
            assertEquals(speed.get("faster").asBoolean(), !rec.get("decomposition").asText().equals("skipped"), line);
        }
        assertEquals(5, timed, "conv2..conv4, fc1, fc2 save params and MACs at EVBMF ranks and are timed: " + j);
        assertEquals(2, CliRun.run("decompose", ck.toString(), "--speed-aware", "--speed-margin", "1").code());
    }

    @Test
    void aTargetRatioIsMetByBisection(@TempDir Path dir) throws IOException {
        Path ck = checkpoint(dir);
        JsonNode j = CliRun.run("decompose", ck.toString(), "--target-params-ratio", "1.5", "--json").json();
        assertTrue(j.get("target_met").asBoolean());
        assertTrue(j.get("params_ratio").asDouble() >= 1.5, j.toString());
        String first = Files.readAllLines(dir.resolve("model-decomposed/audit.jsonl")).get(0);
        assertTrue(first.contains("\"step\":\"target_search\""), first);
    }

    @Test
    void anEnergySelectorIsSearchedToTheTargetToo(@TempDir Path dir) throws IOException {
        Path ck = checkpoint(dir);
        CliRun.Result r = CliRun.run("decompose", ck.toString(), "--selector", "energy", "--target-params-ratio", "1.5");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("target met: energy 0."), r.out());
        JsonNode search = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                Files.readAllLines(dir.resolve("model-decomposed/audit.jsonl")).get(0));
        double f = search.get("energy_fraction").asDouble();
        assertTrue(f > 0 && f < 1 && search.get("params_ratio").asDouble() >= 1.5, search.toString());
        // every layer's selector is the energy fraction found
        assertTrue(Files.readString(dir.resolve("model-decomposed/audit.jsonl")).contains("\"selector\":\"energy(" + f + ")\""));
    }

    @Test
    void aDecomposedResNetRoundTripsThroughItsCheckpoint(@TempDir Path dir) throws IOException {
        InputShape in = new InputShape(1, 8, 8, 3);
        Path ck = dir.resolve("resnet");
        CheckpointWriter.save(ck, in.createZooModel("resnet20", 4), "resnet20", in, TrainingState.initial(), null, null, null);
        JsonNode j = CliRun.run("decompose", ck.toString(), "--selector", "ratio:0.5", "--pointwise", "--json").json();
        assertTrue(j.get("decomposed_layers").asInt() > 18, j.toString());
        Module saved = CheckpointReader.load(dir.resolve("resnet-decomposed")).model();
        assertTrue(saved.namedModules().get("layer2.0.conv1") instanceof FactorizedConv2d);
        assertTrue(saved.namedModules().get("layer2.0.shortcut.0") instanceof org.rankfold.engine.nn.Sequential,
                "the 1x1 projection became two 1x1 convolutions");

        // the same decomposition in memory computes exactly what the saved checkpoint computes
        Module direct = CheckpointReader.load(ck).model();
        org.rankfold.vbmf.decompose.Decomposer.decompose(direct, in.chw(), org.rankfold.vbmf.decompose.DecomposerOptions
                .defaults().withSelector(new org.rankfold.vbmf.rank.FixedRatioSelector(0.5)).withLayers(true, true, false));
        org.rankfold.engine.tensor.Tensor x = org.rankfold.engine.tensor.Tensor.uniform(random(), -1, 1, 2, 1, 8, 8);
        try (org.rankfold.engine.tensor.GradMode.Scope _ = org.rankfold.engine.tensor.GradMode.noGrad()) {
            saved.eval();
            direct.eval();
            org.junit.jupiter.api.Assertions.assertArrayEquals(direct.forward(x).data(), saved.forward(x).data());
        }
    }

    @Test
    void finetuningReportsTheAccuracyBeforeAndAfter(@TempDir Path dir) throws IOException {
        InputShape in = new InputShape(1, 28, 28, 10);
        Path ck = dir.resolve("fm");
        CheckpointWriter.save(ck, in.createZooModel("lenet5", 2), "lenet5", in, TrainingState.initial(), null, null, null);
        JsonNode j = CliRun.run("decompose", ck.toString(), "--selector", "ratio:0.5", "--finetune", "1", "--data", "sample",
                "--limit-train", "128", "--limit-test", "64", "--batch", "32", "--threads", "1", "--json").json();
        JsonNode f = j.get("finetune");
        assertEquals(1, f.get("epochs").asInt());
        assertTrue(f.get("data").asText().contains("sample"), f.toString());
        for (String k : List.of("accuracy_before", "accuracy_after")) {
            assertTrue(f.get(k).asDouble() >= 0 && f.get(k).asDouble() <= 1, k + " " + f);
        }
        CliRun.run("decompose", ck.toString(), "--finetune", "1", "--data", "sample", "--finetune-lr", "0", "--out",
                dir.resolve("x").toString()).badInput("--finetune");
        CliRun.run("decompose", ck.toString(), "--finetune", "1", "--data", "sample", "--momentum", "1.5", "--out",
                dir.resolve("y").toString()).badInput("--momentum");
    }

    @Test
    void aDivergingFinetuneIsOneLineNamingPhaseEpochBatchAndTheLastGoodCheckpoint(@TempDir Path dir) throws IOException {
        InputShape in = new InputShape(1, 28, 28, 10);
        Path ck = dir.resolve("fm");
        CheckpointWriter.save(ck, in.createZooModel("lenet5", 2), "lenet5", in, TrainingState.initial(), null, null, null);
        Path out = dir.resolve("out");
        CliRun.Result r = CliRun.run("decompose", ck.toString(), "--selector", "ratio:0.5", "--finetune", "1", "--data",
                "sample", "--finetune-lr", "1e9", "--limit-train", "128", "--limit-test", "64", "--batch", "32",
                "--threads", "1", "--out", out.toString());
        r.badInput("phase finetune: training diverged in epoch 1, batch ");
        assertTrue(r.err().contains("last good checkpoint: " + ck), r.err());
        assertTrue(!java.nio.file.Files.exists(out), "nothing written");
    }

    @Test
    void badInputIsRefusedWithOneLine(@TempDir Path dir) throws IOException {
        Path ck = checkpoint(dir);
        CliRun.run("decompose", dir.resolve("missing").toString()).badInput("no such file");
        CliRun.run("decompose", ck.toString(), "--weakening", "2").badInput("--weakening");
        CliRun.run("decompose", ck.toString(), "--selector", "svd").badInput("--selector");
        CliRun.run("decompose", ck.toString(), "--target-macs-ratio", "0.5").badInput("target ratio");
        CliRun.run("decompose", ck.toString(), "--out", ck.toString()).badInput("--out must differ");
    }
}
