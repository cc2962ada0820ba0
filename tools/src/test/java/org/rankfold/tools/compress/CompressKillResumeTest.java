package org.rankfold.tools.compress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.tools.ChildCli;

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

    private static int savedEpoch(Path run) {
        try {
            return new ObjectMapper().readTree(run.resolve("checkpoints/baseline-in-progress/state.json").toFile())
                    .get("epoch").asInt();
        } catch (IOException | RuntimeException e) {
            return -1; // not written yet, being replaced, or already deleted
        }
    }

    private static String withoutTimes(String json) throws IOException {
        ObjectNode s = (ObjectNode) new ObjectMapper().readTree(json);
        s.remove(List.of("wall_seconds", "machine", "run_directory", "report"));
        return s.toString();
    }

    @Test
    void killedInTheBaselineAndResumedIsBitIdentical(@TempDir Path dir) throws Exception {
        Path straight = dir.resolve("straight");
        String expected = ChildCli.inProcess(ChildCli.args(SETTINGS, straight));

        Path run = dir.resolve("killed");
        Path log = dir.resolve("log");
        boolean killed = ChildCli.killWhen(ChildCli.start(ChildCli.args(SETTINGS, run), log), () -> savedEpoch(run) >= 1, 300,
                "baseline checkpoint", 5, log);
        assertTrue(killed, "the child was killed after a baseline epoch: " + Files.readString(log));
        assertTrue(!Files.exists(run.resolve("summary.json")), "the child did not finish");

        String resumed = ChildCli.inProcess(ChildCli.args(SETTINGS, run, "--resume"));
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
