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
    void aTargetRatioIsMetByBisection(@TempDir Path dir) throws IOException {
        Path ck = checkpoint(dir);
        JsonNode j = CliRun.run("decompose", ck.toString(), "--target-params-ratio", "1.5", "--json").json();
        assertTrue(j.get("target_met").asBoolean());
        assertTrue(j.get("params_ratio").asDouble() >= 1.5, j.toString());
        String first = Files.readAllLines(dir.resolve("model-decomposed/audit.jsonl")).get(0);
        assertTrue(first.contains("\"step\":\"target_search\""), first);
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
