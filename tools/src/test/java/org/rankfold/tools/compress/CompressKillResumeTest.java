package org.rankfold.tools.compress;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.tools.ChildCli;
import org.rankfold.tools.Main;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real `compress` process killed with SIGKILL once its baseline's in-progress checkpoint holds epoch 1, then
 * resumed with --resume, ends with the same summary (wall times aside) and the same final weights as an
 * uninterrupted run.
 */
class CompressKillResumeTest {
    private static final String[] SETTINGS = {"compress", "--model", "lenet5", "--data", "sample", "--preset", "quick", "--variants", "full",
            "--epochs", "3", "--finetune-epochs", "1", "--batch", "32", "--limit-train", "512", "--limit-test", "64",
            "--threads", "1", "--seed", "4", "--quiet", "--json"};

    private static String inProcess(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
        return out.toString();
    }

    private static int savedEpoch(Path run) {
        try {
            return new ObjectMapper().readTree(run.resolve("checkpoints/baseline-in-progress/state.json").toFile())
                    .get("epoch").asInt();
        } catch (IOException | RuntimeException e) {
            return -1; // not written yet, being replaced, or already deleted
        }
    }

    private static List<String> args(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of(SETTINGS));
        a.addAll(List.of("--out", out.toString()));
        a.addAll(List.of(more));
        return a;
    }

    private static String withoutTimes(String json) throws IOException {
        ObjectNode s = (ObjectNode) new ObjectMapper().readTree(json);
        s.remove(List.of("wall_seconds", "machine", "run_directory", "report"));
        return s.toString();
    }

    @Test
    void killedInTheBaselineAndResumedIsBitIdentical(@TempDir Path dir) throws Exception {
        Path straight = dir.resolve("straight");
        String expected = inProcess(args(straight));

        Path run = dir.resolve("killed");
        Path log = dir.resolve("log");
        Process p = ChildCli.start(args(run), log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        int seen = -1;
        while (seen < 1 && p.isAlive()) {
            assertTrue(System.nanoTime() < deadline, "no baseline checkpoint within 300 s");
            Thread.sleep(5);
            seen = savedEpoch(run);
        }
        boolean alive = p.isAlive();
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertTrue(alive && seen >= 1, "the child was killed after a baseline epoch: " + Files.readString(log));
        assertTrue(!Files.exists(run.resolve("summary.json")), "the child did not finish");

        String resumed = inProcess(args(run, "--resume"));
        assertEquals(withoutTimes(expected), withoutTimes(resumed));
        JsonProgress progress = new JsonProgress(run);
        assertTrue(progress.resumedAfter("baseline") >= 1, "the baseline continued from its checkpoint");
        for (String ck : new String[] {"baseline", "full-train", "full-finetune"}) {
            Path f = Path.of("checkpoints", ck, "weights.safetensors");
            assertArrayEquals(Files.readAllBytes(straight.resolve(f)), Files.readAllBytes(run.resolve(f)), f.toString());
        }
    }

    /** progress.json of a run. */
    private record JsonProgress(Path run) {
        int resumedAfter(String phase) throws IOException {
            return new ObjectMapper().readTree(run.resolve("progress.json").toFile()).path("completed").path(phase)
                    .path("resumed_after_epoch").asInt(-1);
        }
    }
}
