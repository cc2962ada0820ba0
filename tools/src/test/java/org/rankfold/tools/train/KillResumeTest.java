package org.rankfold.tools.train;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.tools.ChildCli;
import org.rankfold.tools.Main;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real `train` process killed with SIGKILL twice (once its checkpoint holds epoch 1, once epoch 2) and
 * resumed each time ends with the same weight and optimizer bytes as an uninterrupted run.
 */
class KillResumeTest {
    private static final String[] SETTINGS = {"--model", "lenet5", "--data", "sample", "--epochs", "4", "--batch", "32",
            "--limit-train", "128", "--limit-test", "32", "--threads", "1", "--seed", "5", "--quiet"};

    private static int inProcess(String... args) {
        return Main.run(args, new PrintWriter(new StringWriter(), true), new PrintWriter(new StringWriter(), true));
    }

    private static int savedEpoch(Path run) {
        try {
            return new ObjectMapper().readTree(run.resolve("checkpoint/state.json").toFile()).get("epoch").asInt();
        } catch (IOException | RuntimeException e) {
            return -1; // not written yet, or being replaced
        }
    }

    /**
     * Waits until the run's checkpoint holds {@code epoch}, then kills the process without warning (SIGKILL
     * on Unix). On a fast machine the child may already have finished the run; it must then have succeeded.
     */
    private static void killAfter(Process p, Path run, int epoch, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (savedEpoch(run) < epoch && p.isAlive()) {
            assertTrue(System.nanoTime() < deadline, "no checkpoint of epoch " + epoch + " within 180 s");
            Thread.sleep(10);
        }
        boolean killed = p.isAlive();
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        if (!killed) {
            assertEquals(0, p.exitValue(), Files.readString(log));
        }
    }

    @Test
    void killedTwiceAndResumedIsBitIdenticalToAnUninterruptedRun(@TempDir Path dir) throws Exception {
        Path straight = dir.resolve("straight");
        List<String> a = new ArrayList<>(List.of("train"));
        a.addAll(List.of(SETTINGS));
        a.addAll(List.of("--out", straight.toString()));
        assertEquals(0, inProcess(a.toArray(String[]::new)));

        Path run = dir.resolve("killed");
        List<String> first = new ArrayList<>(List.of("train"));
        first.addAll(List.of(SETTINGS));
        first.addAll(List.of("--out", run.toString()));
        killAfter(ChildCli.start(first, dir.resolve("log1")), run, 1, dir.resolve("log1"));
        int afterFirstKill = savedEpoch(run);
        killAfter(ChildCli.start(List.of("train", "--resume", run.toString(), "--threads", "1", "--quiet"), dir.resolve("log2")), run,
                afterFirstKill + 1, dir.resolve("log2"));
        assertEquals(0, inProcess("train", "--resume", run.toString(), "--threads", "1", "--quiet"));

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
