package org.rankfold.tools.compress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.tools.ChildCli;

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

    private static int completedPhases(Path run) {
        try {
            return MAPPER.readTree(run.resolve("progress.json").toFile()).get("completed").size();
        } catch (IOException | RuntimeException e) {
            return 0; // not written yet, or being replaced
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
        ChildCli.inProcess(ChildCli.args(SETTINGS, straight));

        Path run = dir.resolve("killed");
        Path log1 = dir.resolve("log1");
        ChildCli.killWhen(ChildCli.start(ChildCli.args(SETTINGS, run), log1), () -> completedPhases(run) >= 1, 300,
                "completed phase", 10, log1);
        int next = Math.max(3, completedPhases(run) + 1);
        Path log2 = dir.resolve("log2");
        ChildCli.killWhen(ChildCli.start(ChildCli.args(SETTINGS, run, "--resume"), log2), () -> completedPhases(run) >= next,
                300, next + " completed phases", 10, log2);
        ChildCli.inProcess(ChildCli.args(SETTINGS, run, "--resume"));

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
