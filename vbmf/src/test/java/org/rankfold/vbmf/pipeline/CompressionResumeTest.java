package org.rankfold.vbmf.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.datasets.DataSplit;
import org.rankfold.engine.train.EpochResult;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Epoch-level resume inside training phases: a run that crashes in the middle of the baseline, resumed, crashes
 * again in the middle of the full variant's fine-tuning, and is resumed again, ends with the same summary
 * (wall times aside), the same metrics rows and the same weights (sha256 of every checkpoint) as an
 * uninterrupted run.
 */
class CompressionResumeTest extends SeededTest {

    private DataSplit data() {
        return CompressionPipelineTest.data(random(), 96, 48);
    }

    private static CompressionConfig config() {
        return new ConfigBuilder(CompressionConfig.quick("fashionnet", 3)).epochs(3).finetuneEpochs(2).batchSize(32)
                .limitTrain(0).limitTest(0).build();
    }

    /** A crash at the end of epoch {@code epoch} of {@code phase} (after its checkpoint was saved); records epochs. */
    private static final class Crash implements PipelineListener {
        final String phase;
        final int epoch;
        final List<String> epochs = new ArrayList<>();

        Crash(String phase, int epoch) {
            this.phase = phase;
            this.epoch = epoch;
        }

        @Override
        public void epochFinished(String p, EpochResult r, String evaluatedOn) {
            epochs.add(p + "#" + r.epoch());
            if (p.equals(phase) && r.epoch() == epoch) {
                throw new IllegalStateException("simulated crash in " + p + " after epoch " + r.epoch());
            }
        }
    }

    @Test
    void crashedTwiceAndResumedEndsBitIdentical(@TempDir Path dir) throws IOException {
        RunDirectory straight = new RunDirectory(dir.resolve("straight"));
        ObjectNode expected = new CompressionPipeline(config(), data(), straight, new PipelineListener() { }).run(false);

        RunDirectory run = new RunDirectory(dir.resolve("crashed"));
        Crash first = new Crash("baseline", 2);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new CompressionPipeline(config(), data(), run, first).run(false));
        assertTrue(e.getMessage().contains("baseline after epoch 2"), e.getMessage());
        assertTrue(Files.isDirectory(run.inProgress("baseline")), "the epoch-2 checkpoint is there");

        Crash second = new Crash("full/finetune", 1);
        assertThrows(IllegalStateException.class, () -> new CompressionPipeline(config(), data(), run, second).run(true));
        assertEquals("baseline#3", second.epochs.getFirst(), "the baseline continued after its second epoch");
        assertFalse(Files.exists(run.inProgress("baseline")), "a finished phase's in-progress checkpoint is deleted");

        Crash none = new Crash("", 0);
        ObjectNode resumed = new CompressionPipeline(config(), data(), run, none).run(true);
        assertEquals(List.of("full/finetune#2", "baseline/finetune#1", "baseline/finetune#2"), none.epochs,
                "only the last fine-tuning epoch was left, then the budget-matched baseline's");

        assertEquals(withoutTimes(expected), withoutTimes(resumed));
        assertEquals(withoutSeconds(Files.readAllLines(straight.metrics())), withoutSeconds(Files.readAllLines(run.metrics())));
        assertEquals(Files.readAllLines(straight.root().resolve("orthogonality.csv")),
                Files.readAllLines(run.root().resolve("orthogonality.csv")));
        Map<String, String> want = weightHashes(straight);
        assertEquals(List.of("baseline", "baseline-finetune", "full-finetune", "full-fold", "full-train", "full-tucker", "plain-finetune",
                "plain-tucker"), List.copyOf(want.keySet()));
        assertEquals(want, weightHashes(run));
    }

    /** The summary as text without wall times and machine (text: numbers read back from progress.json are ints). */
    private static String withoutTimes(ObjectNode summary) {
        ObjectNode s = summary.deepCopy();
        s.remove(List.of("wall_seconds", "machine"));
        return s.toString();
    }

    /** metrics.csv rows without the wall time (seconds, the eighth column). */
    private static List<String> withoutSeconds(List<String> rows) {
        return rows.stream().map(r -> {
            String[] f = r.split(",", -1);
            f[7] = "";
            return String.join(",", f);
        }).toList();
    }

    /** sha256 of weights.safetensors of every checkpoint of the run, by checkpoint name. */
    private static Map<String, String> weightHashes(RunDirectory run) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (var dirs = Files.list(run.root().resolve("checkpoints"))) {
            for (Path d : dirs.toList()) {
                out.put(d.getFileName().toString(), sha256(Files.readAllBytes(d.resolve("weights.safetensors"))));
            }
        }
        return out;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
