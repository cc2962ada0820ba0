package org.rankfold.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A finished `compress` run whose records were edited: {@code --resume} refuses it with one line naming the
 * field (exit 2), and neither reruns a phase nor writes a summary from the edited values. Also: a divergence in
 * any phase is the same clean stop (one line naming phase, epoch, batch, layer and the last good checkpoint).
 */
class CompressRecordsTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String[] TINY = {"compress", "--data", "sample", "--preset", "quick", "--variants", "plain",
        "--epochs", "1", "--finetune-epochs", "1", "--limit-train", "96", "--limit-test", "32", "--batch", "32",
        "--threads", "1", "--seed", "3", "--quiet"};

    @TempDir
    static Path shared;
    private static Path finished;

    private static String[] args(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of(TINY));
        a.add("--out");
        a.add(out.toString());
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @BeforeAll
    static void finishedRun() {
        finished = shared.resolve("finished");
        CliRun.Result r = CliRun.run(args(finished));
        assertEquals(0, r.code(), r.err());
    }

    /** A copy of the finished run with progress.json edited by {@code edit}. */
    private static Path edited(Path dir, Consumer<ObjectNode> edit) throws IOException {
        Path copy = dir.resolve("copy");
        try (var walk = Files.walk(finished)) {
            for (Path p : walk.toList()) {
                Path q = copy.resolve(finished.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
        ObjectNode progress = (ObjectNode) JSON.readTree(copy.resolve("progress.json").toFile());
        edit.accept(progress);
        JSON.writeValue(copy.resolve("progress.json").toFile(), progress);
        return copy;
    }

    private static ObjectNode phase(ObjectNode progress, String name) {
        return (ObjectNode) progress.get("completed").get(name);
    }

    /** --resume of the edited copy: exit 2, one line with {@code fragment}; the audit and summary untouched. */
    private static void refused(Path copy, String fragment) throws IOException {
        byte[] audit = Files.readAllBytes(copy.resolve("audit.jsonl"));
        byte[] summary = Files.readAllBytes(copy.resolve("summary.json"));
        CliRun.run(args(copy, "--resume")).badInput(fragment);
        assertEquals(new String(audit), Files.readString(copy.resolve("audit.jsonl")), "audit.jsonl unchanged");
        assertEquals(new String(summary), Files.readString(copy.resolve("summary.json")), "summary.json unchanged");
    }

    @Test
    void anUneditedRunResumesToTheSameSummary(@TempDir Path dir) throws IOException {
        Path copy = edited(dir, p -> { });
        String audit = Files.readString(copy.resolve("audit.jsonl"));
        assertEquals(0, CliRun.run(args(copy, "--resume")).code());
        assertEquals(audit, Files.readString(copy.resolve("audit.jsonl")), "nothing ran again, nothing appended");
        ObjectNode progress = (ObjectNode) JSON.readTree(copy.resolve("progress.json").toFile());
        assertTrue(phase(progress, "baseline").get("checkpoint_sha256").asText().matches("[0-9a-f]{64}"));
        assertEquals(Files.size(copy.resolve("audit.jsonl")), progress.at("/audit/bytes").asLong());
    }

    @Test
    void anEditedAccuracyIsNamed(@TempDir Path dir) throws IOException {
        refused(edited(dir, p -> phase(p, "plain/eval").put("accuracy", 0.999)), "completed.plain/eval.accuracy");
    }

    @Test
    void aCheckpointOutsideTheRunIsRefused(@TempDir Path dir) throws IOException {
        refused(edited(dir, p -> phase(p, "baseline").put("checkpoint", "../other")), "completed.baseline.checkpoint");
        Path abs = dir.resolve("abs");
        refused(edited(abs, p -> phase(p, "baseline").put("checkpoint", finished.resolve("checkpoints/baseline").toString())),
                "completed.baseline.checkpoint");
    }

    @Test
    void aCheckpointLinkedOutOfTheRunIsRefused(@TempDir Path dir) throws IOException {
        Path copy = edited(dir, p -> { });
        Path ck = copy.resolve("checkpoints/baseline");
        try (var walk = Files.walk(ck)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        Files.createSymbolicLink(ck, finished.resolve("checkpoints/baseline"));
        refused(copy, "symbolic link");
    }

    @Test
    void aChangedCheckpointIsNamed(@TempDir Path dir) throws IOException {
        Path copy = edited(dir, p -> { });
        Path w = copy.resolve("checkpoints/plain-tucker/weights.safetensors");
        byte[] b = Files.readAllBytes(w);
        b[b.length - 1] ^= 1;
        Files.write(w, b);
        refused(copy, "completed.plain/tucker.checkpoint_sha256");
    }

    @Test
    void aMissingFieldIsNamed(@TempDir Path dir) throws IOException {
        refused(edited(dir, p -> phase(p, "baseline").remove("params")), "completed.baseline.params: missing");
    }

    @Test
    void completedAsAnArrayIsNamedNotRerun(@TempDir Path dir) throws IOException {
        refused(edited(dir, p -> p.putArray("completed")), "completed: expected an object, found an array");
        refused(edited(dir.resolve("empty"), p -> p.putObject("completed")), "completed: lacks baseline");
    }

    @Test
    void aPhaseOfAnotherConfigurationIsNamed(@TempDir Path dir) throws IOException {
        refused(edited(dir, p -> ((ObjectNode) p.get("completed")).set("ortho/eval", phase(p, "plain/eval"))),
                "completed.ortho/eval: not a phase of this run's configuration");
    }

    @Test
    void anEditedAuditIsNamed(@TempDir Path dir) throws IOException {
        Path copy = edited(dir, p -> { });
        Path audit = copy.resolve("audit.jsonl");
        Files.writeString(audit, Files.readString(audit).replaceFirst("\"tucker2\"", "\"tucker3\""));
        refused(copy, "audit.sha256");
    }

    @Test
    void divergenceInTrainingIsOneLineNamingPhaseEpochBatchLayerAndCheckpoint(@TempDir Path dir) {
        CliRun.Result r = CliRun.run(args(dir.resolve("lr"), "--lr", "1e9"));
        r.badInput("phase baseline: training diverged in epoch 1, batch ");
        assertTrue(r.err().contains("layer '") || r.err().contains("the loss is"), r.err());
        assertTrue(r.err().contains("last good checkpoint: none yet"), r.err());
    }

    @Test
    void divergenceOfTheRegularizedVariantNamesTheBaselineAsLastGood(@TempDir Path dir) {
        Path run = dir.resolve("ortho");
        List<String> a = new ArrayList<>(List.of(args(run, "--ortho-lambda", "1e30")));
        a.set(a.indexOf("plain"), "plain,full");
        CliRun.Result r = CliRun.run(a.toArray(String[]::new));
        r.badInput("phase full/train: training diverged in epoch 1");
        assertTrue(r.err().contains("last good checkpoint: " + run.resolve("checkpoints/baseline")), r.err());
    }
}
