package org.rankfold.tools.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.engine.checkpoint.CheckpointReader;
import org.rankfold.tools.Main;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `train` and `eval` on the bundled sample with a tiny budget (a few hundred images, one or two epochs). */
class TrainEvalCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private static String[] tiny(Path out, String epochs, String... extra) {
        return tiny("lenet5", out, epochs, extra);
    }

    private static String[] tiny(String model, Path out, String epochs, String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("train", "--model", model, "--data", "sample", "--epochs", epochs,
                "--batch", "32", "--limit-train", "96", "--limit-test", "64", "--threads", "1", "--seed", "3",
                "--out", out.toString()));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void trainWritesMetricsAndCheckpointsAndEvalReproducesTheTestAccuracy(@TempDir Path dir) throws IOException {
        Path run = dir.resolve("run");
        Result r = run(tiny("fashionnet", run, "1", "--json"));
        assertEquals(0, r.code(), r.err());
        JsonNode o = JSON.readTree(r.out());
        assertEquals("fashionnet", o.get("model").asText());
        assertEquals(467_626, o.get("params").asLong());
        List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals(2, csv.size());
        // epochs are evaluated on the 9 held-out training images (a tenth of 96); the test set once at the end
        assertEquals("epoch,train_loss,train_acc,val_loss,val_acc,lr,seconds", csv.get(0));
        assertEquals(9, o.get("validation_images").asInt());
        assertEquals(o.get("val_acc").asDouble(), o.get("best_val_acc").asDouble());
        assertTrue(CheckpointReader.isCheckpoint(run.resolve("checkpoint")));
        assertTrue(CheckpointReader.isCheckpoint(run.resolve("best")));

        Result e = run("eval", run.toString(), "--limit-test", "64", "--threads", "1", "--json");
        assertEquals(0, e.code(), e.err());
        JsonNode eo = JSON.readTree(e.out());
        assertEquals(64, eo.get("images").asLong());
        assertEquals(o.get("test_acc").asDouble(), eo.get("test_acc").asDouble(), "eval of best/ repeats the test accuracy");
        assertEquals(o.get("test_loss").asDouble(), eo.get("test_loss").asDouble(), 1e-6);

        Result text = run("eval", run.resolve("checkpoint").toString(), "--limit-test", "64", "--threads", "1");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("test accuracy"), text.out());
    }

    /** --val-split 0: the behaviour before the split (epochs and best/ on the test set), still available. */
    @Test
    void valSplitZeroEvaluatesEpochsOnTheTestSet(@TempDir Path dir) throws IOException {
        Path run = dir.resolve("run");
        Result r = run(tiny("fashionnet", run, "1", "--json", "--val-split", "0"));
        assertEquals(0, r.code(), r.err());
        JsonNode o = JSON.readTree(r.out());
        assertEquals("epoch,train_loss,train_acc,test_loss,test_acc,lr,seconds", Files.readAllLines(run.resolve("metrics.csv")).get(0));
        assertEquals(o.get("test_acc").asDouble(), o.get("best_test_acc").asDouble());
        assertTrue(o.get("val_acc") == null && o.get("validation_images") == null, o.toString());
        assertEquals(2, run("train", "--val-split", "-1", "--out", dir.resolve("bad").toString()).code());
    }

    /** 2 epochs straight versus 1 epoch then --resume to 2: the saved weights are the same bytes. */
    @Test
    void resumeContinuesBitIdentically(@TempDir Path dir) throws IOException {
        Path straight = dir.resolve("straight");
        Path split = dir.resolve("split");
        assertEquals(0, run(tiny(straight, "2", "--quiet")).code());
        // Cosine starts at the base rate whatever the length, so a 1-epoch run extended to 2 has the same rates.
        assertEquals(0, run(tiny(split, "1", "--quiet")).code());
        Result r = run("train", "--resume", split.toString(), "--epochs", "2", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("resuming after epoch 1"), r.out());
        assertTrue(r.out().contains("epoch 2/2"), r.out());
        assertArrayEquals(Files.readAllBytes(straight.resolve("checkpoint/weights.safetensors")),
                Files.readAllBytes(split.resolve("checkpoint/weights.safetensors")));
        assertArrayEquals(Files.readAllBytes(straight.resolve("checkpoint/optimizer.safetensors")),
                Files.readAllBytes(split.resolve("checkpoint/optimizer.safetensors")));
    }

    @Test
    void orthogonalRegularizationIsSavedWithTheSettings(@TempDir Path dir) throws IOException {
        Path run = dir.resolve("ortho");
        Result r = run(tiny(run, "1", "--ortho", "srip", "--ortho-lambda", "0.01"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("orthogonal regularization: srip, lambda 0.01"), r.out());
        JsonNode state = JSON.readTree(run.resolve("checkpoint/state.json").toFile());
        assertEquals("srip", state.get("config").get("ortho").asText());
        assertEquals(0.01, state.get("config").get("ortho_lambda").asDouble());
        assertEquals(5, org.rankfold.engine.regularize.OrthogonalRegularizer.targets(
                org.rankfold.engine.checkpoint.InputShape.FASHION_MNIST.createZooModel("lenet5", 1), true).size(),
                "lenet5: 2 convs + 3 linear layers");
        assertEquals(2, run(tiny(dir.resolve("bad"), "1", "--ortho", "l2")).code());
    }

    @Test
    void badUsageIsExitCodeTwoWithOneLine(@TempDir Path dir) {
        Result device = run(tiny(dir.resolve("a"), "1", "--device", "tpu"));
        assertEquals(2, device.code());
        assertTrue(device.err().contains("cpu, opencl or opencl:N"), device.err());
        Result model = run("train", "--model", "alexnet", "--data", "sample", "--out", dir.resolve("b").toString());
        assertEquals(2, model.code());
        assertTrue(model.err().contains("resnet20"), model.err());
        Result missing = run("eval", dir.resolve("nothing").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("no such checkpoint"), missing.err());
    }
}
