package org.rankfold.tools.compress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.engine.checkpoint.CheckpointReader;
import org.rankfold.engine.checkpoint.CheckpointWriter;
import org.rankfold.engine.checkpoint.InputShape;
import org.rankfold.engine.nn.FactorizedConv2d;
import org.rankfold.engine.train.TrainingState;
import org.rankfold.tools.ChildCli;
import org.rankfold.tools.Main;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code compress --model FILE.json}: the whole method on an architecture file (a checkpoint's model.json form) under a
 * name no zoo model has; the run keeps a copy, so a resume, verify and report need only the run directory.
 */
class CompressArchitectureFileTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String[] TINY = {"compress", "--data", "sample", "--preset", "quick", "--epochs", "1",
        "--finetune-epochs", "1", "--limit-train", "96", "--limit-test", "32", "--batch", "32", "--threads", "1", "--seed", "3",
        "--quiet"};

    /** LeNet-5's architecture renamed {@code my-net}: nothing but the file can build it. */
    private static Path architecture(Path dir, InputShape in) throws IOException {
        Path ck = dir.resolve("template");
        CheckpointWriter.save(ck, in.createZooModel("lenet5", 1), "lenet5", in, TrainingState.initial(), null, null, null);
        ObjectNode model = (ObjectNode) MAPPER.readTree(ck.resolve("model.json").toFile());
        model.put("model", "my-net");
        Path file = dir.resolve("my-net.json");
        Files.writeString(file, model.toString());
        return file;
    }

    private static String[] args(Path out, String... more) {
        return ChildCli.args(TINY, out, more).toArray(String[]::new);
    }

    /** Exit code, stdout and stderr of the CLI run in this JVM. */
    private record Outcome(int code, String out, String err) {
    }

    private static Outcome run(String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = Main.run(args, new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void everyVariantRunsOnAnArchitectureFileAndTheRunStandsAlone(@TempDir Path dir) throws Exception {
        Path file = architecture(dir, new InputShape(1, 28, 28, 10));
        Path run = dir.resolve("run");
        // expand over-parameterization (overparam, full) and the orthogonal penalty (ortho, full)
        ChildCli.inProcess(List.of(args(run, "--model", file.toString(), "--variants", "plain,ortho,overparam,full",
                "--overparam", "expand", "--expand", "2")));

        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(run.resolve("architecture.json")));
        JsonNode config = MAPPER.readTree(run.resolve("config.json").toFile());
        assertEquals("my-net", config.get("model").asText());
        assertEquals("architecture.json", config.get("architecture").asText());
        assertEquals(64, config.get("architecture_sha256").asText().length());
        JsonNode summary = MAPPER.readTree(run.resolve("summary.json").toFile());
        for (String v : List.of("plain", "ortho", "overparam", "full")) {
            assertTrue(summary.at("/ablation/" + v + "/accuracy").isNumber(), v + " in " + summary);
        }
        assertEquals("my-net", CheckpointReader.load(run.resolve("checkpoints/full-finetune")).modelName());
        // the expanded training really trained factors: the checkpoint of full/train holds FactorizedConv2d layers
        assertTrue(CheckpointReader.load(run.resolve("checkpoints/full-train")).model().namedModules().values().stream()
                .anyMatch(m -> m instanceof FactorizedConv2d), "factorized convolutions in full/train");

        // the source file is gone: verify and report read the run directory alone
        Files.delete(file);
        ChildCli.inProcess(List.of("verify", run.toString(), "--threads", "1"));
        ChildCli.inProcess(List.of("report", run.toString()));
        String html = Files.readString(run.resolve("report.html"));
        assertTrue(html.contains("my-net"), "the report names the model");

        // the copy is what a resume rebuilds the models from: verify holds it to the recorded digest
        Files.writeString(run.resolve("architecture.json"), Files.readString(run.resolve("architecture.json")) + " ");
        Outcome v = run("verify", run.toString(), "--threads", "1", "--json");
        assertEquals(2, v.code(), v.out() + v.err());
        assertTrue(v.out().contains("architecture.json: SHA-256 is"), v.out());
    }

    @Test
    void killedAndResumedFromTheRunDirectoryAloneEndsBitIdentical(@TempDir Path dir) throws Exception {
        Path file = architecture(dir, new InputShape(1, 28, 28, 10));
        // factorized over-parameterization (the quick preset's), variant full
        String[] settings = {"--model", file.toString(), "--variants", "full"};
        Path straight = dir.resolve("straight");
        ChildCli.inProcess(List.of(args(straight, settings)));

        Path run = dir.resolve("killed");
        Path log = dir.resolve("log");
        ChildCli.killWhen(ChildCli.start(List.of(args(run, settings)), log), () -> completedPhases(run) >= 1, 300,
                "completed phase", 10, log);
        // the resume names neither the model nor the file: config.json and the run's copy give them
        Files.delete(file);
        ChildCli.inProcess(List.of("compress", "--resume", run.toString(), "--threads", "1", "--quiet"));

        for (String ck : List.of("baseline", "full-train", "full-finetune")) {
            Path w = Path.of("checkpoints", ck, "weights.safetensors");
            assertArrayEquals(Files.readAllBytes(straight.resolve(w)), Files.readAllBytes(run.resolve(w)), w.toString());
        }

        // another architecture cannot resume the run
        Path other = architecture(dir.resolve("other"), new InputShape(1, 28, 28, 10));
        Files.writeString(other, Files.readString(other).replace("\"my-net\"", "\"my-net\"  "));
        Outcome changed = run("compress", "--resume", run.toString(), "--model", other.toString(), "--threads", "1");
        assertEquals(2, changed.code(), changed.err());
        assertTrue(changed.err().contains("architecture_sha256"), changed.err());
    }

    @Test
    void aMalformedOrMismatchedFileIsOneLineAndCreatesNoRun(@TempDir Path dir) throws Exception {
        Path bad = architecture(dir, new InputShape(1, 28, 28, 10));
        String good = Files.readString(bad);
        Files.writeString(bad, good.replaceFirst("\"in_channels\":1", "\"in_channels\":-3"));
        assertTrue(!good.equals(Files.readString(bad)), "the first convolution's in_channels made negative");
        Path run = dir.resolve("run");
        Outcome r = run(args(run, "--model", bad.toString()));
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(bad.toString()) && r.err().contains("in_channels"), r.err());
        assertFalse(Files.exists(run), "no run directory for a bad architecture");

        Path cifarSized = architecture(dir.resolve("c"), new InputShape(3, 32, 32, 10));
        Outcome m = run(args(run, "--model", cifarSized.toString()));
        assertEquals(2, m.code(), m.out() + m.err());
        assertEquals(1, m.err().strip().lines().count(), m.err());
        assertTrue(m.err().contains("3x32x32") || m.err().contains("takes"), m.err());
        assertFalse(Files.exists(run), "no run directory for an architecture of other images");
    }

    private static int completedPhases(Path run) {
        try {
            return MAPPER.readTree(run.resolve("progress.json").toFile()).get("completed").size();
        } catch (IOException | RuntimeException e) {
            return 0; // not written yet, or being replaced
        }
    }
}
