package org.rankfold.tools.train;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.tools.ChildCli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real `train` process killed with SIGKILL twice (once its checkpoint holds epoch 1, once epoch 2) and
 * resumed each time ends with the same weight and optimizer bytes as an uninterrupted run.
 */
class KillResumeTest {
    private static final String[] SETTINGS = {"train", "--model", "lenet5", "--data", "sample", "--epochs", "4", "--batch", "32",
            "--limit-train", "128", "--limit-test", "32", "--threads", "1", "--seed", "5", "--quiet"};

    private static int savedEpoch(Path run) {
        try {
            return new ObjectMapper().readTree(run.resolve("checkpoint/state.json").toFile()).get("epoch").asInt();
        } catch (IOException | RuntimeException e) {
            return -1; // not written yet, or being replaced
        }
    }

    @Test
    void killedTwiceAndResumedIsBitIdenticalToAnUninterruptedRun(@TempDir Path dir) throws Exception {
        Path straight = dir.resolve("straight");
        ChildCli.inProcess(ChildCli.args(SETTINGS, straight));

        Path run = dir.resolve("killed");
        Path log1 = dir.resolve("log1");
        ChildCli.killWhen(ChildCli.start(ChildCli.args(SETTINGS, run), log1), () -> savedEpoch(run) >= 1, 180,
                "checkpoint of epoch 1", 10, log1);
        int next = savedEpoch(run) + 1;
        List<String> resume = List.of("train", "--resume", run.toString(), "--threads", "1", "--quiet");
        Path log2 = dir.resolve("log2");
        ChildCli.killWhen(ChildCli.start(resume, log2), () -> savedEpoch(run) >= next, 180, "checkpoint of epoch " + next, 10,
                log2);
        ChildCli.inProcess(resume);

        assertEquals(4, savedEpoch(run));
        for (String f : new String[] {"checkpoint/weights.safetensors", "checkpoint/optimizer.safetensors"}) {
            assertArrayEquals(Files.readAllBytes(straight.resolve(f)), Files.readAllBytes(run.resolve(f)), f);
        }
        assertEquals(Files.readAllLines(straight.resolve("metrics.csv")).size(), Files.readAllLines(run.resolve("metrics.csv")).size());
        try (var s = Files.list(run)) {
            List<String> left = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".checkpoint.") || n.startsWith(".best.")).toList();
            assertEquals(List.of(), left, "the last save removes what killed saves left");
        }
        assertTrue(new File(run.resolve("best").toString()).isDirectory());
    }
}
