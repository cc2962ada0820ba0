package org.rankfold.tools.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sweep --executor slurm} against a real one-node Slurm on this machine, started by
 * {@code scripts/start-slurm.sh} (CI runs it first): two tiny cells as one job array, then {@code --collect}.
 * Skipped, with the script's reason, where Slurm cannot start (no slurm-wlm/munge, not root).
 */
class SlurmSweepTest {

    /** Runs scripts/start-slurm.sh; returns null when the node is up, else the reason it is not. */
    static String startSlurm() throws IOException, InterruptedException {
        Path script = Path.of("..", "scripts", "start-slurm.sh").toAbsolutePath().normalize();
        if (!Files.isExecutable(script)) {
            return script + " is missing";
        }
        Process p = new ProcessBuilder(script.toString()).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "start-slurm.sh did not finish in 60 s";
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return p.exitValue() == 0 ? null : out;
    }

    @Test
    void aTwoCellJobArrayRunsOnSlurmAndIsCollected(@TempDir Path dir) throws Exception {
        String why = startSlurm();
        if (why != null) {
            System.out.println("SlurmSweepTest skipped: " + why);
        }
        Assumptions.assumeTrue(why == null, "Slurm cannot start here: " + why);
        Path sw = dir.resolve("sw");
        Path spec = dir.resolve("spec.json");
        Files.writeString(spec, """
                {"models": ["fashionnet"], "variants": ["plain"], "targets": ["evbmf"], "seeds": [1, 2],
                 "preset": "quick", "data": "sample", "cpus": 1, "memory": "1500M", "heap": "1g",
                 "args": ["--epochs", "1", "--finetune-epochs", "1", "--limit-train", "120", "--limit-test", "60", "--batch", "40"]}
                """);
        SweepCommandTest.Out sub = SweepCommandTest.run("sweep", spec.toString(), "--out", sw.toString(), "--executor", "slurm");
        assertEquals(0, sub.code(), sub.out() + sub.err());
        Matcher m = Pattern.compile("submitted Slurm job ([0-9]+)").matcher(sub.out());
        assertTrue(m.find(), sub.out());
        String job = m.group(1);
        String script = Files.readString(sw.resolve("slurm/train.sbatch"));
        assertTrue(script.contains("#SBATCH --array=0,1") && script.contains("#SBATCH --cpus-per-task=1")
                && script.contains("#SBATCH --mem=1500M") && script.contains("--run-cell \"$SLURM_ARRAY_TASK_ID\""), script);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
        while (!squeue(job).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "job " + job + " still queued or running: " + squeue(job));
            Thread.sleep(1000);
        }
        SweepCommandTest.Out c = SweepCommandTest.run("sweep", "--out", sw.toString(), "--collect");
        assertEquals(0, c.code(), c.err());
        JsonNode s = new ObjectMapper().readTree(sw.resolve("sweep.json").toFile());
        for (JsonNode cell : s.get("cells")) {
            assertEquals("complete", cell.get("state").asText(), cell + "; logs: " + logs(sw));
        }
        assertEquals(2, s.at("/groups/0/seeds").size());
        assertTrue(s.at("/groups/0/variants/plain/vs_baseline_matched/images").asInt() == 60, s.toString());
    }

    private static String squeue(String job) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of("squeue", "-h", "-j", job, "-o", "%i %T")).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        // an id the controller no longer knows (finished and purged) is reported as an error: nothing queued
        return out.contains("Invalid job id") ? "" : out;
    }

    private static String logs(Path sw) throws IOException {
        StringBuilder b = new StringBuilder();
        try (var files = Files.list(sw.resolve("logs"))) {
            for (Path f : files.toList()) {
                b.append("\n== ").append(f.getFileName()).append('\n').append(Files.readString(f));
            }
        }
        return b.toString();
    }
}
