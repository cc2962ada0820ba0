package org.rankfold.tools.verify;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.rankfold.datasets.Dataset;
import org.rankfold.datasets.ValidationSplit;
import org.rankfold.datasets.loader.DataLoader;
import org.rankfold.datasets.loader.LoaderOptions;
import org.rankfold.engine.checkpoint.Checkpoint;
import org.rankfold.engine.checkpoint.CheckpointReader;
import org.rankfold.engine.train.EpochResult;
import org.rankfold.engine.train.Evaluator;
import org.rankfold.tools.UserError;
import org.rankfold.tools.train.RunData;

/**
 * The {@code accuracy} check: the models evaluated again on the recorded test data and compared with every
 * recorded accuracy. A compress run: each phase's accuracy in progress.json (and its audit line), and
 * summary.json's baseline, compressed and ablation accuracies (final, before fine-tuning, after training).
 * A train run or a trained checkpoint: the last epoch's test accuracy in its state.json. The data is the one
 * config.json names (the bundled sample, or {@code KIND:DIR} of the folder the run read), cut to the recorded
 * number of test images; {@code --data} points elsewhere when the folder moved.
 *
 * <p>Tolerance: one test image ({@code 1/N}). On the machine and thread count of the run the accuracy comes
 * out identical; elsewhere the logits may differ in their last bits (another SIMD width), which can flip a
 * near tie between two classes.
 */
final class AccuracyCheck {
    static final String NAME = "accuracy";

    private AccuracyCheck() {
    }

    static Check run(RunRecords run, String dataOverride, Set<Path> damaged) throws IOException {
        return switch (run.kind()) {
            case COMPRESS -> compress(run, dataOverride, damaged);
            case TRAIN, CHECKPOINT -> trained(run, dataOverride, damaged);
        };
    }

    private static Check compress(RunRecords run, String dataOverride, Set<Path> damaged) throws IOException {
        JsonNode data = run.config().path("data");
        String spec = dataOverride != null ? dataOverride : RunData.specOf(data.path("dataset").asText(""));
        if (spec == null) {
            return new Check(NAME, Check.Status.FAILED, "config.json names data '" + data.path("dataset").asText()
                    + "' that cannot be found again; pass --data", List.of("the recorded data cannot be found; pass --data"));
        }
        int testImages = data.path("test_images").asInt(-1);
        RunData rd;
        try {
            rd = RunData.load(spec, 0, run.config().path("limit_test").asInt(0));
        } catch (IllegalArgumentException | UserError e) {
            String p = "the recorded data cannot be loaded (" + e.getMessage() + "); pass --data";
            return new Check(NAME, Check.Status.FAILED, p, List.of(p));
        }
        if (rd.split().test().size() != testImages) {
            String p = "--data " + spec + " has " + rd.split().test().size() + " test images (after limit_test), config.json records "
                    + testImages;
            return new Check(NAME, Check.Status.FAILED, p, List.of(p));
        }
        int batch = run.config().path("batch_size").asInt(128);
        double tolerance = 1.0 / testImages + 1e-12;
        List<String> problems = new ArrayList<>();
        Map<String, Path> models = run.modelOfPhase();
        Map<Path, Double> measured = new HashMap<>();
        Map<String, Double> ofPhase = new HashMap<>();
        int compared = 0;
        List<String> skipped = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : run.completed().properties()) {
            if (!e.getValue().has("accuracy")) {
                continue;
            }
            Path ck = models.get(e.getKey());
            if (ck == null || damaged.contains(ck)) {
                skipped.add(e.getKey());
                continue;
            }
            Double acc = measured.get(ck);
            if (acc == null) {
                try (DataLoader test = rd.testLoader(batch)) {
                    acc = Evaluator.evaluate(CheckpointReader.load(ck).model(), test).accuracy();
                } catch (IOException | RuntimeException ex) {
                    problems.add(run.root().relativize(ck) + " cannot be evaluated: " + ex.getMessage());
                    skipped.add(e.getKey());
                    continue;
                }
                measured.put(ck, acc);
            }
            ofPhase.put(e.getKey(), acc);
            compared += compare("progress.json " + e.getKey(), e.getValue().get("accuracy"), acc, tolerance, problems);
        }
        for (JsonNode r : run.audit()) {
            Double acc = ofPhase.get(r.path("phase").asText());
            if ("phase_end".equals(r.path("step").asText()) && r.has("accuracy") && acc != null) {
                compared += compare("audit.jsonl phase_end " + r.get("phase").asText(), r.get("accuracy"), acc, tolerance, problems);
            }
        }
        compared += summary(run.summary(), ofPhase, tolerance, problems);
        String detail = String.format(Locale.ROOT, "%d recorded accuracies match %d model(s) evaluated again on %d test images "
                + "of %s (tolerance 1 image, %.4f)", compared, measured.size(), testImages, spec, tolerance);
        if (!skipped.isEmpty()) {
            detail += "; not evaluated (model outside the run or damaged): " + String.join(", ", skipped);
        }
        return Check.of(NAME, detail, problems);
    }

    private static int summary(JsonNode s, Map<String, Double> ofPhase, double tolerance, List<String> problems) {
        if (s == null) {
            return 0;
        }
        int n = 0;
        n += compareIf("summary.json baseline.accuracy", s.path("baseline").path("accuracy"), ofPhase.get("baseline"), tolerance, problems);
        for (Map.Entry<String, JsonNode> e : s.path("ablation").properties()) {
            String v = e.getKey();
            JsonNode a = e.getValue();
            String where = "summary.json ablation." + v + ".";
            n += compareIf(where + "accuracy", a.path("accuracy"), ofPhase.get(v + "/eval"), tolerance, problems);
            n += compareIf(where + "accuracy_before_finetune", a.path("accuracy_before_finetune"), ofPhase.get(v + "/eval_before"),
                    tolerance, problems);
            Double trained = ofPhase.containsKey(v + "/train") ? ofPhase.get(v + "/train") : ofPhase.get("baseline");
            n += compareIf(where + "trained_accuracy", a.path("trained_accuracy"), trained, tolerance, problems);
        }
        String c = s.path("compressed").path("variant").asText();
        n += compareIf("summary.json compressed.accuracy", s.path("compressed").path("accuracy"), ofPhase.get(c + "/eval"),
                tolerance, problems);
        n += compareIf("summary.json compressed.accuracy_before_finetune", s.path("compressed").path("accuracy_before_finetune"),
                ofPhase.get(c + "/eval_before"), tolerance, problems);
        return n;
    }

    private static int compareIf(String where, JsonNode recorded, Double actual, double tolerance, List<String> problems) {
        return recorded.isMissingNode() || actual == null ? 0 : compare(where, recorded, actual, tolerance, problems);
    }

    private static int compare(String where, JsonNode recorded, double actual, double tolerance, List<String> problems) {
        double r = recorded.asDouble(Double.NaN);
        if (!(Math.abs(r - actual) <= tolerance)) {
            problems.add(String.format(Locale.ROOT, "%s: %s recorded, evaluated again %.6f", where, recorded, actual));
        }
        return 1;
    }

    /** A train run's checkpoints, or one checkpoint: the last epoch's test accuracy in state.json. */
    private static Check trained(RunRecords run, String dataOverride, Set<Path> damaged) throws IOException {
        List<String> problems = new ArrayList<>();
        List<String> done = new ArrayList<>();
        for (Path ck : run.checkpoints()) {
            if (damaged.contains(ck)) {
                continue;
            }
            String name = run.root().relativize(ck).toString();
            Checkpoint c;
            try {
                c = CheckpointReader.load(ck);
            } catch (IOException | RuntimeException e) {
                problems.add((name.isEmpty() ? "the checkpoint" : name) + " cannot be loaded: " + e.getMessage());
                continue;
            }
            List<EpochResult> h = c.training().history();
            JsonNode cfg = c.config();
            if (h.isEmpty() || cfg == null || !"train".equals(cfg.path("command").asText())) {
                continue; // no accuracy recorded with the data it was measured on (e.g. a decompose output)
            }
            String spec = dataOverride != null ? dataOverride : cfg.path("data").isNull() ? null : cfg.path("data").asText(null);
            // with a validation split (train --val-split), the epochs were evaluated on the held-out training images
            int valSplit = cfg.path("val_split").asInt(0);
            RunData rd;
            try {
                rd = RunData.load(spec, valSplit != 0 ? cfg.path("limit_train").asInt(0) : 0, cfg.path("limit_test").asInt(0));
            } catch (IllegalArgumentException | UserError e) {
                problems.add("the data of " + (name.isEmpty() ? "the checkpoint" : name) + " cannot be loaded (" + e.getMessage()
                        + "); pass --data");
                continue;
            }
            Dataset evaluated = rd.split().test();
            if (valSplit != 0) {
                Dataset train = rd.split().train();
                evaluated = ValidationSplit.of(train, valSplit < 0 ? ValidationSplit.defaultSize(train.size()) : valSplit,
                        cfg.path("seed").asLong()).validation();
            }
            String set = valSplit != 0 ? "validation" : "test";
            int n = evaluated.size();
            double acc;
            try (DataLoader test = new DataLoader(evaluated, LoaderOptions.evaluation(Math.max(cfg.path("batch").asInt(128), 256),
                    rd.normalization()))) {
                acc = Evaluator.evaluate(c.model(), test).accuracy();
            }
            EpochResult last = h.get(h.size() - 1);
            if (!(Math.abs(last.testAccuracy() - acc) <= 1.0 / n + 1e-12)) {
                problems.add(String.format(Locale.ROOT, "%s/state.json: epoch %d %s accuracy %.6f recorded, evaluated again %.6f on %d images",
                        name.isEmpty() ? "." : name, last.epoch(), set, last.testAccuracy(), acc, n));
            }
            done.add((name.isEmpty() ? "the checkpoint" : name) + " (" + n + " " + set + " images)");
        }
        if (done.isEmpty() && problems.isEmpty()) {
            return Check.skipped(NAME, damaged.isEmpty() ? "no test accuracy recorded with the data it was measured on"
                    : "the checkpoints failed the files check");
        }
        return Check.of(NAME, "the recorded epoch accuracy of " + String.join(", ", done)
                + " matches an evaluation again (tolerance 1 image)", problems);
    }
}
