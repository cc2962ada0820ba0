package org.rankfold.vbmf.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code compress --reuse-training RUN}: starts a run from the completed training phases of another run (the
 * baseline and each over-parameterized/regularized variant's {@code V/train}), so one set of trained models
 * is compressed at several target ratios. The settings that define training must be equal in both runs
 * ({@link #TRAINING_FIELDS} of {@code config.json}, and the data); then the phases' checkpoints are copied,
 * their results entered in {@code progress.json} with {@code reused_from}, their rows of {@code metrics.csv}
 * and {@code orthogonality.csv} copied, and one audit record written. Fold, ranks, Tucker-2, fine-tuning and
 * evaluation run as usual with this run's rank settings. The budget-matched baseline's fine-tuning
 * ({@code baseline/finetune}) does not depend on the ranks either: it is reused too when both runs have it with
 * the same {@link #BASELINE_FINETUNE_FIELDS} ({@code baseline/eval} runs again, a single test pass).
 */
final class TrainingReuse {
    /**
     * The config.json fields the trained models depend on: the model (and the digest of its architecture file) and its seed, the training schedule, the
     * over-parameterization (which layers get factors depends on pointwise/first too), the orthogonal
     * regularization, the data limits and the validation split.
     */
    static final List<String> TRAINING_FIELDS = List.of("model", "architecture_sha256", "seed", "batch_size", "epochs", "learning_rate",
            "momentum", "weight_decay", "overparam", "expand", "ortho", "ortho_lambda", "ortho_decay", "ortho_plain",
            "pointwise", "first", "limit_train", "limit_test", "data", "validation");

    /** The further config.json fields the budget-matched baseline's fine-tuning depends on. */
    static final List<String> BASELINE_FINETUNE_FIELDS = List.of("finetune_epochs", "finetune_lr", "matched_baseline");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TrainingReuse() {
    }

    /**
     * Copies the trained phases of {@code source} that this run's variants need into {@code run} and enters them in
     * {@code completed} (modified); returns the audit record.
     *
     * @param config this run's config.json (with its data section)
     */
    static ObjectNode copy(Path source, JsonNode config, List<Variant> variants, RunDirectory run, Progress progress)
            throws IOException {
        Path src = source.toAbsolutePath().normalize();
        if (src.equals(run.root())) {
            throw new IllegalArgumentException("--reuse-training must name another run directory than --out: " + src);
        }
        Path srcConfig = src.resolve("config.json");
        Path srcProgress = src.resolve("progress.json");
        if (!Files.isRegularFile(srcConfig) || !Files.isRegularFile(srcProgress)) {
            throw new IllegalArgumentException("--reuse-training " + src + ": not a compress run directory (config.json and"
                    + " progress.json expected)");
        }
        JsonNode theirs = RunDirectory.parse(RunDirectory.readJson(srcConfig).toString());
        JsonNode ours = RunDirectory.parse(config.toString());
        List<String> differ = new ArrayList<>();
        for (String f : TRAINING_FIELDS) {
            if (!ours.path(f).equals(theirs.path(f))) {
                differ.add(f + " (" + theirs.path(f) + " there, " + ours.path(f) + " here)");
            }
        }
        if (!differ.isEmpty()) {
            throw new IllegalArgumentException("--reuse-training " + src + " was trained with other settings: "
                    + String.join("; ", differ));
        }
        Progress done = Progress.ofOtherRun(new RunDirectory(src));
        List<String> phases = new ArrayList<>();
        phases.add("baseline");
        for (Variant v : variants) {
            if (v != Variant.PLAIN) {
                phases.add(v.label() + "/train");
            }
        }
        boolean sameFinetune = BASELINE_FINETUNE_FIELDS.stream().allMatch(f -> ours.path(f).equals(theirs.path(f)));
        if (sameFinetune && done.get("baseline/finetune") != null) {
            phases.add("baseline/finetune");
        }
        if (done.get("baseline") == null) {
            throw new IllegalArgumentException("--reuse-training " + src + " has no completed baseline yet");
        }
        ArrayNode copied = MAPPER.createArrayNode();
        ArrayNode missing = MAPPER.createArrayNode();
        for (String p : phases) {
            CompletedPhase r = done.get(p);
            if (r == null || r.checkpoint() == null) {
                missing.add(p);
                continue;
            }
            copyTree(src.resolve(r.checkpoint()), run.checkpoint(p));
            CompletedPhase entry = r.reused(run.root().relativize(run.checkpoint(p)).toString(), src.toString());
            if (!RunIntegrity.checkpointDigest(run.checkpoint(p)).equals(entry.checkpointSha256())) {
                throw new IllegalArgumentException("--reuse-training: the copy of " + src.resolve(r.checkpoint())
                        + " does not have the SHA-256 recorded for it (was it changed while being copied?)");
            }
            progress.add(entry);
            copyRows(src.resolve("metrics.csv"), run.metrics(), RunDirectory.METRICS_HEADER, p);
            copyRows(src.resolve("orthogonality.csv"), OrthogonalityCsv.file(run), OrthogonalityCsv.HEADER, p);
            copied.add(p);
        }
        ObjectNode rec = MAPPER.createObjectNode();
        rec.put("phase", "reuse_training");
        rec.put("step", "reuse_training");
        rec.put("source", src.toString());
        rec.set("phases", copied);
        rec.set("not_in_source", missing);
        ArrayNode checked = rec.putArray("checked_fields");
        TRAINING_FIELDS.forEach(checked::add);
        return rec;
    }

    /** Replaces {@code phase}'s rows of the CSV {@code to} with those of {@code from} (when it exists). */
    private static void copyRows(Path from, Path to, String header, String phase) throws IOException {
        RunDirectory.keepRows(to, header, phase, 0);
        if (!Files.exists(from)) {
            return;
        }
        StringBuilder b = new StringBuilder();
        for (String line : RunDirectory.readCsvLines(from)) {
            if (line.startsWith(phase + ",")) {
                b.append(line).append('\n');
            }
        }
        Files.writeString(to, b.toString(), StandardCharsets.UTF_8, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            throw new IllegalArgumentException("--reuse-training: checkpoint " + from + " named in progress.json is missing");
        }
        RunDirectory.deleteTree(to);
        RunDirectory.copyTree(from, to);
    }
}
