package org.rankfold.tools.compress;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.tools.ChildCli;
import org.rankfold.tools.Main;

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
        assertEquals(0, inProcess(args(straight)));

        Path run = dir.resolve("killed");
        Path log = dir.resolve("log");
        Process p = ChildCli.start(List.of(args(run)), log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (!tuckerRecordWritten(run) && p.isAlive()) {
            assertTrue(System.nanoTime() < deadline, "no tucker record within 300 s");
            Thread.onSpinWait();
        }
        boolean killed = p.isAlive();
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        if (!killed) {
            assertEquals(0, p.exitValue(), Files.readString(log));
        }
        assertEquals(0, inProcess(args(run, "--resume")));

        Set<String> seen = new HashSet<>();
        for (String line : Files.readAllLines(run.resolve("audit.jsonl"), StandardCharsets.UTF_8)) {
            JsonNode r = MAPPER.readTree(line);
            String key = r.path("phase").asText() + " " + r.path("step").asText() + " " + r.path("layer").asText();
            assertTrue(seen.add(key), "recorded twice: " + key);
        }
        assertEquals(withoutTimes(straight), withoutTimes(run));
    }
}
