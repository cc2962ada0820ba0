package org.rankfold.tools.inspect;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.engine.accounting.CostProfiler;
import org.rankfold.engine.accounting.CostReport;
import org.rankfold.engine.checkpoint.CheckpointWriter;
import org.rankfold.engine.checkpoint.InputShape;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.train.TrainingState;
import org.rankfold.tools.Main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** inspect MODEL and inspect FILE.json: a summary before training; train --model FILE.json trains that network. */
class ModelSummaryTest {

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void aZooModelIsSummarizedWithShapesParamsAndMacs() throws Exception {
        Result r = run("inspect", "resnet20");
        assertEquals(0, r.code(), r.err());
        CostReport expected = CostProfiler.profile(new InputShape(3, 32, 32, 10).createZooModel("resnet20", 1), 3, 32, 32);
        assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "%,d (+%,d BatchNorm)", expected.parameters(),
                expected.batchNormParameters())), r.out());
        assertTrue(r.out().contains("input   3x32x32, 10 classes") || r.out().contains("3x32x32, 10 classes"), r.out());
        assertTrue(r.out().contains("[16, 32, 32]"), "output shapes: " + r.out());
        JsonNode j = new ObjectMapper().readTree(run("inspect", "lenet5", "--json").out());
        assertEquals(CostProfiler.profile(new InputShape(1, 28, 28, 10).createZooModel("lenet5", 1), 1, 28, 28).layers().size(),
                j.get("rows").size());
    }

    @Test
    void anArchitectureFileIsSummarizedAndTrained(@TempDir Path dir) throws Exception {
        InputShape in = new InputShape(1, 28, 28, 10);
        Module m = in.createZooModel("lenet5", 3);
        Path ck = dir.resolve("ck");
        CheckpointWriter.save(ck, m, "lenet5", in, TrainingState.initial(), null, null, null);
        Path arch = dir.resolve("my-net.json");
        Files.copy(ck.resolve("model.json"), arch);
        Result r = run("inspect", arch.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("architecture file of 'lenet5'"), r.out());
        assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "%,d", CostProfiler.profile(m, 1, 28, 28).parameters())), r.out());

        Path run = dir.resolve("run");
        Result t = run("train", "--model", arch.toString(), "--data", "sample", "--epochs", "1", "--batch", "32",
                "--limit-train", "64", "--limit-test", "32", "--threads", "1", "--quiet", "--json", "--out", run.toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(Files.isRegularFile(run.resolve("checkpoint/model.json")));

        // The same bounds as a checkpoint's model.json: a hostile file is one line naming it.
        Files.writeString(arch, "{\"format\": \"rankfold-model\", \"model\": \"x\", \"input\": {\"channels\": 1, \"height\": 28,"
                + " \"width\": 28, \"classes\": 10}, \"architecture\": {\"type\": \"Linear\", \"in_features\": 2000000000,"
                + " \"out_features\": 2000000000}}");
        Result bad = run("inspect", arch.toString());
        assertEquals(2, bad.code(), bad.out() + bad.err());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
        assertTrue(bad.err().contains(arch.toString()), bad.err());
    }
}
