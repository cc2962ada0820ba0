package org.rankfold.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `rankfold compress` on a tiny slice of the bundled sample: --preset quick with smaller budgets. */
class CompressCommandTest extends SeededTest {

    private static final String[] TINY = {"--data", "sample", "--preset", "quick", "--epochs", "1", "--finetune-epochs", "1",
        "--limit-train", "160", "--limit-test", "80", "--batch", "64", "--threads", "2"};

    private static String[] args(Path out, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("compress"));
        a.addAll(List.of(TINY));
        a.add("--out");
        a.add(out.toString());
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void aTinyQuickRunWritesASummaryAndAnAuditThatExplainsEveryRank(@TempDir Path dir) throws IOException {
        Path run = dir.resolve("run");
        JsonNode s = CliRun.run(args(run, "--json", "--quiet")).json();
        assertEquals(run.toString(), s.get("run_directory").asText());
        for (String path : List.of("/baseline/accuracy", "/baseline/params", "/baseline/macs", "/compressed/accuracy",
                "/compressed/params", "/compressed/macs", "/params_ratio", "/macs_ratio", "/layers",
                "/ablation/plain/accuracy", "/ablation/plain/accuracy_before_finetune", "/ablation/plain/params_ratio",
                "/ablation/plain/macs_ratio", "/ablation/full/accuracy", "/ablation/full/accuracy_before_finetune",
                "/ablation/full/params_ratio", "/ablation/full/macs_ratio", "/data/dataset", "/data/train_images",
                "/data/test_images", "/seed", "/wall_seconds/baseline")) {
            assertFalse(s.at(path).isMissingNode(), "summary.json has " + path);
        }
        // 16 of the 160 images (a tenth) are held out for validation
        assertEquals(144, s.at("/data/train_images").asInt());
        assertTrue(s.at("/data/dataset").asText().contains("sample"), s.at("/data/dataset").asText());
        for (JsonNode l : s.get("layers")) {
            for (String f : List.of("name", "shape", "r0", "r1", "sigma2_mode0", "sigma2_mode1", "relative_error")) {
                assertTrue(l.has(f), f + " in " + l);
            }
        }
        for (String f : List.of("config.json", "audit.jsonl", "metrics.csv", "summary.json", "checkpoints/baseline",
                "checkpoints/full-finetune", "report.html")) {
            assertTrue(Files.exists(run.resolve(f)), f);
        }
        int ranks = 0;
        ObjectMapper m = new ObjectMapper();
        for (String line : Files.readAllLines(run.resolve("audit.jsonl"), StandardCharsets.UTF_8)) {
            JsonNode rec = m.readTree(line);
            for (JsonNode u : rec.path("unfoldings")) {
                assertEquals(u.get("proposed_rank").asInt(), evbmfRank(u), "rank recomputed from the audit: " + line);
                ranks++;
            }
        }
        assertTrue(ranks >= 6, "ranks recomputed: " + ranks);

        CliRun.Result again = CliRun.run(args(run, "--resume"));
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("[full/eval] already done (resume)"), again.out());
        assertTrue(again.out().contains("params x"), again.out());
        assertTrue(again.out().contains("run directory: "), again.out());
        assertTrue(again.out().contains("report: " + run.resolve("report.html")), again.out());
    }

    @Test
    void badSettingsAreRefusedWithOneLine(@TempDir Path dir) {
        CliRun.run("compress", "--preset", "huge", "--out", dir.toString()).badInput("--preset");
        CliRun.run("compress", "--overparam", "wide", "--out", dir.toString()).badInput("over-parameterization");
        CliRun.run("compress", "--ortho", "none", "--out", dir.toString()).badInput("orthogonal regularization");
        CliRun.run("compress", "--variants", "plain,plain", "--out", dir.toString()).badInput("variants");
        CliRun.run("compress", "--selector", "energy:0.9", "--target-params-ratio", "3", "--out", dir.toString())
                .badInput("--selector evbmf");
        CliRun.run("compress", "--data", "sample", "--val-split", "-3", "--out", dir.toString()).badInput("--val-split");
        CliRun.run("compress", "--data", "sample", "--val-split", "lots", "--out", dir.toString()).badInput("--val-split");
    }

    @Test
    void withoutAPresetTheSampleRunsQuickAndSaysWhy(@TempDir Path dir) {
        CliRun.Result r = CliRun.run("compress", "--data", "sample", "--epochs", "0", "--finetune-epochs", "0",
                "--limit-train", "100", "--limit-test", "50", "--variants", "plain", "--val-split", "0",
                "--out", dir.resolve("run").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("preset: quick (only 6000 training images (not the full Fashion-MNIST)"), r.out());
    }

    /** The EVBMF rank from an audit record alone (docs/method.md): singular values above the threshold. */
    private static int evbmfRank(JsonNode u) {
        double l = Math.min(u.get("shape").get(0).asInt(), u.get("shape").get(1).asInt());
        double mm = Math.max(u.get("shape").get(0).asInt(), u.get("shape").get(1).asInt());
        double alpha = l / mm;
        double tau = 2.5129 * Math.sqrt(alpha);
        double threshold = Math.sqrt(u.get("sigma2").asDouble() * mm * (1 + tau) * (1 + alpha / tau));
        int r = 0;
        for (JsonNode s : u.get("singular_values")) {
            r += s.asDouble() > threshold ? 1 : 0;
        }
        return r;
    }
}
