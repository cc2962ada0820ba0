package org.rankfold.tools.compress;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.tools.ChildCli;
import org.rankfold.tools.Main;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real `compress` process killed with SIGKILL twice (once its progress.json holds the baseline, once
 * three completed phases) and resumed each time with `--resume` ends with the same checkpoints, byte for
 * byte, and the same ranks as an uninterrupted run with the same seed and threads. The kills land in a phase
 * (after a phase boundary has been recorded), so the resumed run redoes the interrupted phase from the last
 * completed one, whatever finer-grained resume a phase may have.
 */
class CompressPhaseKillResumeTest {
    private static final String[] SETTINGS = {"compress", "--data", "sample", "--preset", "quick", "--variants", "full",
        "--epochs", "1", "--finetune-epochs", "1", "--limit-train", "96", "--limit-test", "32", "--batch", "32",
        "--threads", "1", "--seed", "3", "--quiet"};
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String[] args(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of(SETTINGS));
        a.add("--out");
        a.add(out.toString());
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static int inProcess(String... args) {
        return Main.run(args, new PrintWriter(new StringWriter(), true), new PrintWriter(new StringWriter(), true));
    }

    private static int completedPhases(Path run) {
        try {
            return MAPPER.readTree(run.resolve("progress.json").toFile()).get("completed").size();
        } catch (IOException | RuntimeException e) {
            return 0; // not written yet, or being replaced
        }
    }

    /**
     * Waits until {@code phases} phases are recorded, then kills the process without warning (SIGKILL on
     * Unix). On a fast machine the child may have finished the run; it must then have succeeded.
     */
    private static void killAfter(Process p, Path run, int phases, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (completedPhases(run) < phases && p.isAlive()) {
            assertTrue(System.nanoTime() < deadline, "no " + phases + " completed phases within 300 s");
            Thread.sleep(10);
        }
        boolean killed = p.isAlive();
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        if (!killed) {
            assertEquals(0, p.exitValue(), Files.readString(log));
        }
    }

    private static TreeSet<String> weightFiles(Path run) throws IOException {
        try (Stream<Path> s = Files.walk(run.resolve("checkpoints"))) {
            TreeSet<String> out = new TreeSet<>();
            s.filter(p -> p.getFileName().toString().equals("weights.safetensors"))
                    .forEach(p -> out.add(run.relativize(p).toString()));
            return out;
        }
    }

    private static List<String> ranks(Path run) throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode l : MAPPER.readTree(run.resolve("summary.json").toFile()).get("layers")) {
            out.add(l.get("name").asText() + ":" + l.get("r0").asText() + "," + l.get("r1").asText());
        }
        return out;
    }

    @Test
    void killedTwiceAndResumedEndsBitIdenticalToAnUninterruptedRun(@TempDir Path dir) throws Exception {
        Path straight = dir.resolve("straight");
        assertEquals(0, inProcess(args(straight)));

        Path run = dir.resolve("killed");
        killAfter(ChildCli.start(List.of(args(run)), dir.resolve("log1")), run, 1, dir.resolve("log1"));
        int afterFirst = completedPhases(run);
        killAfter(ChildCli.start(List.of(args(run, "--resume")), dir.resolve("log2")), run, Math.max(3, afterFirst + 1), dir.resolve("log2"));
        assertEquals(0, inProcess(args(run, "--resume")));

        assertEquals(completedPhases(straight), completedPhases(run));
        TreeSet<String> files = weightFiles(straight);
        assertTrue(files.size() >= 3, "checkpoints of the baseline, training and fine-tuning: " + files);
        assertEquals(files, weightFiles(run));
        for (String f : files) {
            assertArrayEquals(Files.readAllBytes(straight.resolve(f)), Files.readAllBytes(run.resolve(f)), f);
        }
        assertEquals(ranks(straight), ranks(run));
    }
}
