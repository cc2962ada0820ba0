package org.rankfold.tools.compress;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.tools.ChildCli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real `compress` process killed with SIGKILL while its tucker phase is writing (its per-layer audit records are
 * there, its checkpoint is being saved, progress.json does not record it yet) and resumed: every audit record is
 * there once, the audit equals an uninterrupted run's line for line (wall times aside).
 */
class CompressAuditKillTest {
    private static final String[] SETTINGS = {"compress", "--data", "sample", "--preset", "quick", "--variants", "plain",
        "--epochs", "1", "--finetune-epochs", "1", "--limit-train", "96", "--limit-test", "32", "--batch", "32",
        "--threads", "1", "--seed", "3", "--quiet"};
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** True once audit.jsonl holds a per-layer record of the tucker phase. */
    private static boolean tuckerRecordWritten(Path run) {
        try {
            return Files.readString(run.resolve("audit.jsonl"), StandardCharsets.UTF_8)
                    .contains("{\"phase\":\"plain/tucker\",\"layer\"");
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> withoutTimes(Path run) throws IOException {
        return Files.readAllLines(run.resolve("audit.jsonl"), StandardCharsets.UTF_8).stream()
                .map(l -> l.replaceAll("\"wall_seconds\":[^,}]*", "")).toList();
    }

    @Test
    void aKillDuringTheTuckerPhaseNeverDuplicatesItsAuditRecords(@TempDir Path dir) throws Exception {
        Path straight = dir.resolve("straight");
        ChildCli.inProcess(ChildCli.args(SETTINGS, straight));

        Path run = dir.resolve("killed");
        Path log = dir.resolve("log");
        // spinning: the window between the first tucker record and the phase's end is short
        ChildCli.killWhen(ChildCli.start(ChildCli.args(SETTINGS, run), log), () -> tuckerRecordWritten(run), 300,
                "tucker record", 0, log);
        ChildCli.inProcess(ChildCli.args(SETTINGS, run, "--resume"));

        Set<String> seen = new HashSet<>();
        for (String line : Files.readAllLines(run.resolve("audit.jsonl"), StandardCharsets.UTF_8)) {
            JsonNode r = MAPPER.readTree(line);
            String key = r.path("phase").asText() + " " + r.path("step").asText() + " " + r.path("layer").asText();
            assertTrue(seen.add(key), "recorded twice: " + key);
        }
        assertEquals(withoutTimes(straight), withoutTimes(run));
    }
}
