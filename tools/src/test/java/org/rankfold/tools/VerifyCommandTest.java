package org.rankfold.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankfold.tools.report.ReportBuilder;
import org.rankfold.vbmf.pipeline.RunDirectory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `rankfold verify` holds on a fresh compress run (a tiny --preset quick on the bundled sample), on a train run
 * and on a decompose output; and on copies of the run with one kind of record tampered with, it fails on exactly
 * the check for that record. A forger who edits a report input also rebuilds the report (so only the report
 * tamper itself trips the report check) and one who edits a model.json also updates its SHA-256.
 */
class VerifyCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @TempDir
    static Path shared;
    private static Path run;

    @BeforeAll
    static void aTinyCompressRun() {
        run = shared.resolve("run");
        CliRun.Result r = CliRun.run("compress", "--data", "sample", "--preset", "quick", "--epochs", "1", "--finetune-epochs", "1",
                "--limit-train", "160", "--limit-test", "80", "--batch", "64", "--threads", "2", "--quiet", "--out", run.toString());
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void everyCheckHoldsOnAFreshRun() {
        CliRun.Result r = CliRun.run("verify", run.toString(), "--threads", "2");
        assertEquals(0, r.code(), r.out() + r.err());
        for (String check : List.of("files", "paths", "ranks", "costs", "accuracy", "report")) {
            assertTrue(r.out().contains("\nok      " + check + " "), check + " holds:\n" + r.out());
        }
        assertTrue(r.out().contains("checkpoints/baseline/state.json and ") && r.out().contains(" prediction file(s)"),
                "the report's stamp covers the baseline's state.json and the predictions:\n" + r.out());
        assertTrue(r.out().strip().endsWith("verdict: ok (every check holds)"), r.out());
        JsonNode j = CliRun.run("verify", run.toString(), "--json").json();
        assertEquals("ok", j.get("verdict").asText());
        assertEquals("compress run", j.get("kind").asText());
        assertEquals(6, j.get("checks").size());
    }

    @Test
    void aChangedWeightsByteFailsTheFilesCheck(@TempDir Path dir) throws IOException {
        Path copy = copy(dir);
        Path weights = copy.resolve("checkpoints/full-finetune/weights.safetensors");
        byte[] b = Files.readAllBytes(weights);
        b[b.length - 3] ^= 0x40;
        Files.write(weights, b);
        JsonNode j = failsOnly(copy, "files");
        assertTrue(check(j, "files").get("detail").asText().contains("full-finetune/weights.safetensors: SHA-256 is"), j.toString());
        assertTrue(check(j, "accuracy").get("detail").asText().contains("not evaluated"), "the damaged model is not loaded: " + j);
    }

    @Test
    void aChangedAuditRankFailsTheRanksCheck(@TempDir Path dir) throws IOException {
        Path copy = copy(dir);
        editUnfolding(copy, u -> u.put("proposed_rank", u.get("proposed_rank").asInt() + 1));
        restampProgress(copy);
        rebuildReport(copy);
        JsonNode j = failsOnly(copy, "ranks");
        assertTrue(check(j, "ranks").get("detail").asText().contains("recorded EVBMF rank"), j.toString());
    }

    @Test
    void aChangedSigma2FailsTheRanksCheck(@TempDir Path dir) throws IOException {
        Path copy = copy(dir);
        editUnfolding(copy, u -> u.put("sigma2", u.get("sigma2").asDouble() * 1.5));
        restampProgress(copy);
        rebuildReport(copy);
        JsonNode j = failsOnly(copy, "ranks");
        assertTrue(check(j, "ranks").get("detail").asText().contains("recorded threshold"), j.toString());
    }

    @Test
    void anAuditEditedBehindTheRecordedDigestAlsoFailsTheFilesCheck(@TempDir Path dir) throws IOException {
        Path copy = copy(dir);
        editUnfolding(copy, u -> u.put("rank", u.get("rank").asInt() + 1));
        rebuildReport(copy);
        // runs that record the digest of their audit trail in progress.json (audit.sha256) see the edit twice
        boolean digested = JSON.readTree(copy.resolve("progress.json").toFile()).path("audit").has("sha256");
        JsonNode j = fails(copy, digested ? List.of("files", "ranks") : List.of("ranks"));
        assertTrue(check(j, "ranks").get("detail").asText().contains("recorded rank"), j.toString());
    }

    @Test
    void aModelJsonThatDisagreesWithTheRecordedParamsFailsTheCostsCheck(@TempDir Path dir) throws IOException {
        Path copy = copy(dir);
        // conv1 becomes 5x5 (padding 2 keeps every shape after it); the forger also updates state.json's SHA-256
        Path ck = copy.resolve("checkpoints/full-fold");
        String model = Files.readString(ck.resolve("model.json"), StandardCharsets.UTF_8);
        String changed = model.replaceFirst("\"kernel\" : \\[ 3, 3 \\]", "\"kernel\" : [ 5, 5 ]")
                .replaceFirst("\"padding\" : \\[ 1, 1 \\]", "\"padding\" : [ 2, 2 ]")
                .replaceFirst("\"weight\" : \\[ 32, 1, 3, 3 \\]", "\"weight\" : [ 32, 1, 5, 5 ]");
        assertTrue(!changed.equals(model), "conv1 found in model.json");
        Files.writeString(ck.resolve("model.json"), changed, StandardCharsets.UTF_8);
        String sum = Sha256Files.of(ck.resolve("model.json"));
        editJson(ck.resolve("state.json"), s -> ((ObjectNode) s.get("files").get("model.json")).put("sha256", sum));
        restampProgress(copy);
        rebuildReport(copy);
        JsonNode j = failsOnly(copy, "costs");
        assertTrue(check(j, "costs").get("detail").asText().contains("full/fold: params"), j.toString());
    }

    @Test
    void aChangedSummaryParamsCountFailsTheCostsCheck(@TempDir Path dir) throws IOException {
        Path copy = copy(dir);
        editJson(copy.resolve("summary.json"), s -> ((ObjectNode) s.get("compressed")).put("params",
                s.get("compressed").get("params").asLong() - 100));
        rebuildReport(copy);
        failsOnly(copy, "costs");
    }

    @Test
    void aChangedSummaryAccuracyFailsTheAccuracyCheck(@TempDir Path dir) throws IOException {
        Path copy = copy(dir);
        editJson(copy.resolve("summary.json"), s -> ((ObjectNode) s.get("compressed")).put("accuracy",
                s.get("compressed").get("accuracy").asDouble() + 0.1));
        rebuildReport(copy);
        JsonNode j = failsOnly(copy, "accuracy");
        assertTrue(check(j, "accuracy").get("detail").asText().contains("summary.json compressed.accuracy"), j.toString());
    }

    @Test
    void anEditedReportOrAnInputChangedAfterTheReportFailsTheReportCheck(@TempDir Path dir) throws IOException {
        Path copy = copy(dir);
        Path report = copy.resolve("report.html");
        String html = Files.readString(report, StandardCharsets.UTF_8);
        Files.writeString(report, html.replaceFirst("Rankfold compression report", "Rankfold compression rep0rt"), StandardCharsets.UTF_8);
        assertTrue(check(failsOnly(copy, "report"), "report").get("detail").asText().contains("changed after it was built"));

        Path other = copy(dir.resolve("second"));
        Files.writeString(other.resolve("metrics.csv"), "baseline,9,0.1,0.99,0.1,0.99,0.01,1.0\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        assertTrue(check(failsOnly(other, "report"), "report").get("detail").asText().contains("metrics.csv changed"));
    }

    @Test
    void aChangedPredictionFileOrBaselineStateFailsTheReportCheckNamingIt(@TempDir Path dir) throws IOException {
        Path copy = copy(dir.resolve("predictions"));
        Path npy = copy.resolve("predictions/full-eval.npy");
        byte[] b = Files.readAllBytes(npy);
        b[b.length - 1] ^= 1; // one test image's predicted class
        Files.write(npy, b);
        JsonNode j = failsOnly(copy, "report");
        assertTrue(check(j, "report").get("detail").asText().contains("predictions/full-eval.npy changed"), j.toString());

        Path other = copy(dir.resolve("state"));
        Path state = other.resolve("checkpoints/baseline/state.json");
        Files.writeString(state, Files.readString(state, StandardCharsets.UTF_8) + "\n", StandardCharsets.UTF_8);
        // the checkpoint's digest in progress.json covers state.json too
        JsonNode k = fails(other, List.of("files", "report"));
        assertTrue(check(k, "report").get("detail").asText().contains("checkpoints/baseline/state.json changed"), k.toString());
    }

    @Test
    void aCheckpointPathOutsideTheRunFailsThePathsCheck(@TempDir Path dir) throws IOException {
        Path copy = copy(dir.resolve("inside"));
        RunDirectory.copyTree(copy.resolve("checkpoints/baseline"), dir.resolve("outside-baseline"));
        editJson(copy.resolve("progress.json"), p -> ((ObjectNode) p.get("completed").get("baseline"))
                .put("checkpoint", "../outside-baseline"));
        rebuildReport(copy);
        JsonNode j = failsOnly(copy, "paths");
        assertTrue(check(j, "paths").get("detail").asText().contains("'../outside-baseline' is not a checkpoint inside the run"),
                j.toString());
    }

    @Test
    void dataThatMovedFailsTheAccuracyCheckUntilDataNamesIt(@TempDir Path dir) throws IOException {
        Path copy = copy(dir);
        Path gone = dir.resolve("moved-away");
        editJson(copy.resolve("config.json"), c -> ((ObjectNode) c.get("data")).put("dataset", "fashion-mnist from " + gone));
        rebuildReport(copy);
        JsonNode j = failsOnly(copy, "accuracy");
        assertTrue(check(j, "accuracy").get("detail").asText().contains("pass --data"), j.toString());
        CliRun.Result r = CliRun.run("verify", copy.toString(), "--data", "sample");
        assertEquals(0, r.code(), r.out() + r.err());
    }

    @Test
    void ranksWeakenedOrRaisedForATargetRatioAreDerivedAgain(@TempDir Path dir) {
        // 20x: MUSCO's weakening (w < 1); 150x: beyond EVBMF (a raised threshold, strength > 1) with a rank floor
        for (String target : List.of("20", "150")) {
            Path t = dir.resolve("target-" + target);
            CliRun.Result r = CliRun.run("compress", "--data", "sample", "--preset", "quick", "--epochs", "1", "--finetune-epochs", "1",
                    "--limit-train", "160", "--limit-test", "80", "--batch", "64", "--threads", "2", "--quiet", "--variants", "plain",
                    "--target-params-ratio", target, "--min-rank", "2", "--out", t.toString());
            assertEquals(0, r.code(), r.err());
            JsonNode j = CliRun.run("verify", t.toString(), "--json").json();
            assertEquals("ok", j.get("verdict").asText(), j.toString());
            assertTrue(check(j, "ranks").get("detail").asText().matches("[1-9]\\d* EVBMF rank.*"), j.toString());
        }
    }

    @Test
    void aTrainRunAndADecomposedCheckpointVerify(@TempDir Path dir) {
        Path train = dir.resolve("train");
        CliRun.Result t = CliRun.run("train", "--data", "sample", "--epochs", "1", "--limit-train", "160", "--limit-test", "80",
                "--batch", "64", "--threads", "2", "--quiet", "--out", train.toString());
        assertEquals(0, t.code(), t.err());
        JsonNode j = CliRun.run("verify", train.toString(), "--json").json();
        assertEquals("train run", j.get("kind").asText());
        assertEquals("ok", check(j, "accuracy").get("status").asText(), j.toString());
        assertEquals("ok", check(j, "files").get("status").asText(), j.toString());

        Path dec = dir.resolve("decomposed");
        CliRun.Result d = CliRun.run("decompose", train.resolve("checkpoint").toString(), "--out", dec.toString(), "--json");
        assertEquals(0, d.code(), d.err());
        JsonNode k = CliRun.run("verify", dec.toString(), "--json").json();
        assertEquals("checkpoint", k.get("kind").asText());
        assertEquals("ok", check(k, "ranks").get("status").asText(), k.toString());
        assertEquals("ok", check(k, "costs").get("status").asText(), k.toString());
        assertEquals("skipped", check(k, "accuracy").get("status").asText(), k.toString());
    }

    @Test
    void aDirectoryThatIsNoRunIsBadInput(@TempDir Path dir) {
        CliRun.run("verify", dir.toString()).badInput("neither a run directory");
        CliRun.run("verify", dir.resolve("missing").toString()).badInput("no such directory");
    }

    /** Runs verify --json: exit 2, and the FAILED checks are exactly {@code name}. */
    private static JsonNode failsOnly(Path dir, String name) throws IOException {
        return fails(dir, List.of(name));
    }

    /** Runs verify --json: exit 2, and the FAILED checks are exactly {@code names}, in the order of the checks. */
    private static JsonNode fails(Path dir, List<String> names) throws IOException {
        CliRun.Result r = CliRun.run("verify", dir.toString(), "--json", "--threads", "2");
        assertEquals(2, r.code(), r.out() + r.err());
        JsonNode j = JSON.readTree(r.out());
        List<String> failed = new ArrayList<>();
        j.get("checks").forEach(c -> {
            if (c.get("status").asText().equals("FAILED")) {
                failed.add(c.get("name").asText());
            }
        });
        assertEquals(names, failed, j.toPrettyString());
        assertEquals("FAILED", j.get("verdict").asText());
        return j;
    }

    private static JsonNode check(JsonNode j, String name) {
        for (JsonNode c : j.get("checks")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + j);
    }

    private static Path copy(Path dir) throws IOException {
        Path copy = dir.resolve("run");
        RunDirectory.copyTree(run, copy);
        return copy;
    }

    /**
     * What a consistent forger does after editing audit.jsonl or a checkpoint: the digests progress.json records
     * (when the run has them) are computed again: {@code audit.sha256} of the whole audit, and each
     * {@code checkpoint_sha256}, the SHA-256 of {@code "<SHA-256>  <name>\n"} over the checkpoint's files by name.
     */
    private static void restampProgress(Path dir) throws IOException {
        Path audit = dir.resolve("audit.jsonl");
        String auditSum = Sha256Files.of(audit);
        long auditBytes = Files.size(audit);
        List<String> sums = new ArrayList<>();
        JsonNode completed = JSON.readTree(dir.resolve("progress.json").toFile()).get("completed");
        for (var e : completed.properties()) {
            if (e.getValue().has("checkpoint_sha256")) {
                StringBuilder text = new StringBuilder();
                try (Stream<Path> files = Files.list(dir.resolve(e.getValue().get("checkpoint").asText()))) {
                    for (Path f : files.sorted().toList()) {
                        text.append(Sha256Files.of(f)).append("  ").append(f.getFileName()).append('\n');
                    }
                }
                sums.add(e.getKey() + "=" + Sha256Files.of(text.toString().getBytes(StandardCharsets.UTF_8)));
            }
        }
        editJson(dir.resolve("progress.json"), p -> {
            if (p.path("audit").has("sha256")) {
                ((ObjectNode) p.get("audit")).put("sha256", auditSum).put("bytes", auditBytes);
            }
            for (String s : sums) {
                ((ObjectNode) p.get("completed").get(s.substring(0, s.indexOf('=')))).put("checkpoint_sha256",
                        s.substring(s.indexOf('=') + 1));
            }
        });
    }

    private static void rebuildReport(Path dir) throws IOException {
        ReportBuilder.write(dir, List.of());
    }

    private static void editJson(Path file, java.util.function.Consumer<JsonNode> edit) throws IOException {
        JsonNode n = JSON.readTree(file.toFile());
        edit.accept(n);
        JSON.writeValue(file.toFile(), n);
    }

    /** Edits the first mode-0 unfolding of the first Tucker-2 record in audit.jsonl. */
    private static void editUnfolding(Path dir, UnaryOperator<ObjectNode> edit) throws IOException {
        Path audit = dir.resolve("audit.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(audit, StandardCharsets.UTF_8));
        for (int i = 0; i < lines.size(); i++) {
            JsonNode rec = JSON.readTree(lines.get(i));
            if ("tucker2".equals(rec.path("decomposition").asText())) {
                edit.apply((ObjectNode) rec.get("unfoldings").get(0));
                lines.set(i, rec.toString());
                Files.write(audit, lines, StandardCharsets.UTF_8);
                return;
            }
        }
        throw new AssertionError("no Tucker-2 record in " + audit);
    }
}
