package org.rankfold.tools.safety;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.engine.checkpoint.CheckpointWriter;
import org.rankfold.engine.checkpoint.InputShape;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.engine.train.TrainingState;
import org.rankfold.tools.ChildCli;
import org.rankfold.tools.output.RunMarker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * train and eval on hostile settings. Before: {@code train --resume RUN --lr 1e9 --model resnet20} silently
 * ignored the new flags; a train killed before its first checkpoint could not be resumed;
 * {@code --batch 2147483647} trained zero batches and printed "test accuracy NaN%"; eval of NaN weights
 * printed an accuracy without a warning.
 */
class TrainSafetyTest {

    @Test
    void resumeRefusesChangedTrainingSettingsAndAcceptsEqualOnes(@TempDir Path dir) throws IOException {
        Path run = dir.resolve("run");
        Cli.run(Cli.train("--out", run.toString())).ok();
        Cli.run("train", "--resume", run.toString(), "--lr", "1e9", "--quiet").refused("--lr", "1.0E9", "0.05");
        Cli.run("train", "--resume", run.toString(), "--model", "resnet20", "--quiet").refused("--model", "resnet20", "lenet5");
        Cli.run("train", "--resume", run.toString(), "--seed", "9", "--quiet").refused("--seed");
        // Giving the saved value again, or extending --epochs, is a plain resume.
        Cli.run("train", "--resume", run.toString(), "--lr", "0.05", "--model", "lenet5", "--epochs", "2", "--threads", "1",
                "--quiet").ok();
        assertEquals(2, new ObjectMapper().readTree(run.resolve("checkpoint/state.json").toFile()).get("epoch").asInt());
    }

    @Test
    void aBatchLargerThanTheDataIsRefused(@TempDir Path dir) {
        Path run = dir.resolve("run");
        Cli r = Cli.run("train", "--model", "lenet5", "--data", "sample", "--epochs", "1", "--batch", "2147483647",
                "--limit-train", "64", "--limit-test", "32", "--threads", "1", "--out", run.toString());
        r.refused("--batch 2147483647", "64 training images");
        assertFalse(r.out().contains("NaN"), r.out());
        assertFalse(Files.exists(run), "a run refused before training leaves no directory behind");
        Cli.run("compress", "--model", "lenet5", "--data", "sample", "--batch", "2147483647", "--limit-train", "64", "--quiet",
                "--out", dir.resolve("c").toString()).refused("--batch 2147483647");
        Cli.run(Cli.train("--out", run.toString())).ok();
        Cli.run("decompose", run.resolve("checkpoint").toString(), "--finetune", "1", "--data", "sample", "--limit-train", "64",
                "--batch", "2147483647").refused("--batch 2147483647");
        // Evaluation keeps every image in one batch (the batch count overflowed to zero before: NaN%).
        Cli e = Cli.run("eval", run.toString(), "--batch", "2147483647", "--limit-test", "64").ok();
        assertTrue(e.out().contains("on 64 images") && !e.out().contains("NaN"), e.out());
    }

    @Test
    void evalWarnsAboutNonFiniteWeightsNamingTheTensor(@TempDir Path dir) throws IOException {
        InputShape in = new InputShape(1, 28, 28, 10);
        Module m = in.createZooModel("fashionnet", 1);
        Tensor w = m.namedParameters().get("fc2.weight");
        w.data()[0] = Float.NaN;
        w.data()[1] = Float.POSITIVE_INFINITY;
        Path ck = dir.resolve("nan");
        CheckpointWriter.save(ck, m, "fashionnet", in, new TrainingState(0, 0, List.of()), null, null, null);
        Cli r = Cli.run("eval", ck.toString(), "--data", "sample", "--limit-test", "64", "--threads", "1");
        r.ok();
        assertTrue(r.err().contains("warning: 'fc2.weight' holds 1 NaN and 1 infinite values"), r.err());
    }

    /** The run's checkpoint epoch, -1 while there is none. */
    private static int savedEpoch(Path run) {
        try {
            return new ObjectMapper().readTree(run.resolve("checkpoint/state.json").toFile()).get("epoch").asInt();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    @Test
    void aTrainKilledBeforeItsFirstCheckpointResumesFromTheStart(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        List<String> args = new ArrayList<>(List.of("train", "--model", "lenet5", "--data", "sample", "--epochs", "2",
                "--batch", "32", "--limit-train", "1024", "--limit-test", "32", "--threads", "1", "--seed", "4", "--quiet",
                "--out", run.toString()));
        Process p = ChildCli.start(args, dir.resolve("log"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!RunMarker.present(run) && p.isAlive()) {
            assertTrue(System.nanoTime() < deadline, "no run marker within 120 s");
            Thread.sleep(5);
        }
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(-1, savedEpoch(run), "killed before the first checkpoint: " + Files.readString(dir.resolve("log")));

        Cli.run("train", "--resume", run.toString(), "--threads", "1", "--quiet").ok();
        assertEquals(2, savedEpoch(run));
        // The same as an uninterrupted run with those settings.
        Path straight = dir.resolve("straight");
        List<String> s = new ArrayList<>(args.subList(0, args.size() - 1));
        s.add(straight.toString());
        Cli.run(s.toArray(String[]::new)).ok();
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(straight.resolve("checkpoint/weights.safetensors")),
                Files.readAllBytes(run.resolve("checkpoint/weights.safetensors"))));
    }
}
