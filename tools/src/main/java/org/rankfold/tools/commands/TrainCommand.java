package org.rankfold.tools.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.datasets.ValidationSplit;
import org.rankfold.datasets.loader.DataLoader;
import org.rankfold.datasets.loader.LoaderOptions;
import org.rankfold.engine.accounting.CostProfiler;
import org.rankfold.engine.accounting.CostReport;
import org.rankfold.engine.checkpoint.ArchitectureFile;
import org.rankfold.engine.checkpoint.Checkpoint;
import org.rankfold.engine.checkpoint.CheckpointListener;
import org.rankfold.engine.checkpoint.CheckpointReader;
import org.rankfold.engine.checkpoint.InputShape;
import org.rankfold.engine.checkpoint.OptimizerState;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.train.EpochResult;
import org.rankfold.engine.train.EvalResult;
import org.rankfold.engine.train.Evaluator;
import org.rankfold.engine.train.MetricsCsvListener;
import org.rankfold.engine.train.Trainer;
import org.rankfold.engine.train.TrainingStoppedException;
import org.rankfold.engine.zoo.ModelZoo;
import org.rankfold.tools.UserError;
import org.rankfold.tools.output.OutputGuard;
import org.rankfold.tools.output.RunLock;
import org.rankfold.tools.output.RunMarker;
import org.rankfold.tools.train.ComputeSession;
import org.rankfold.tools.train.MemoryEstimate;
import org.rankfold.tools.train.ProgressLine;
import org.rankfold.tools.train.RunData;
import org.rankfold.tools.train.TrainSettings;
import org.rankfold.tools.options.ConfigOption;
import org.rankfold.tools.options.DataOption;
import org.rankfold.tools.options.DeviceOption;
import org.rankfold.tools.options.EpochsOption;
import org.rankfold.tools.options.JsonOption;
import org.rankfold.tools.options.LimitOptions;
import org.rankfold.tools.options.OverwriteOption;
import org.rankfold.tools.options.QuietOption;
import org.rankfold.tools.options.ResumeOption;
import org.rankfold.tools.options.ThreadsOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * `rankfold train`: trains one zoo model with SGD (momentum, weight decay, PyTorch semantics) and writes a
 * run directory: {@code metrics.csv}, {@code checkpoint/} (the latest epoch, what {@code --resume}
 * continues from) and {@code best/} (the best validation accuracy; with {@code --val-split 0}, test accuracy). The
 * test set is evaluated once, on the final model.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train one model: a zoo model or your own architecture (--model FILE.json).",
        footer = {"", "The run directory gets metrics.csv, checkpoint/ (latest epoch) and best/ (best validation accuracy).",
                "Epochs are evaluated on held-out training images (--val-split); the test set once, on the final model.",
                "--resume RUN continues an interrupted run with the settings saved in it, bit-identically at the same --threads.",
                "", "Examples:", "  ./rankfold train --model fashionnet --data sample --epochs 2 --limit-train 1000 --out runs/train-small",
                "  ./rankfold train --config runs/train-small/rankfold-run.json --seed 2 --out runs/train-seed2",
                "  ./rankfold train --resume runs/train-small --epochs 3",
                "  ./rankfold train --model runs/fashionnet-quick/checkpoints/baseline/model.json --data sample --epochs 1 --limit-train 500 --out runs/train-from-json",
                "", "Long runs (minutes to hours; not run by the tests):",
                "  ./rankfold train --model fashionnet --data fashion-mnist --epochs 10 --seed 1"})
public final class TrainCommand implements Callable<Integer> {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "MODEL", defaultValue = "fashionnet", description = "Zoo model (${COMPLETION-CANDIDATES}) or FILE.json, an architecture in the form of a checkpoint's model.json (see 'rankfold inspect FILE.json').",
            completionCandidates = ModelNames.class)
    String model;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "128", description = "Batch size.")
    int batch;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "0.05", description = "Initial learning rate (cosine-annealed to 0 with --schedule cosine).")
    double lr;

    @Option(names = "--momentum", paramLabel = "M", defaultValue = "0.9", description = "SGD momentum.")
    double momentum;

    @Option(names = "--weight-decay", paramLabel = "WD", defaultValue = "5e-4", description = "L2 weight decay.")
    double weightDecay;

    @Option(names = "--schedule", paramLabel = "S", defaultValue = "cosine", description = "Per-epoch learning rate: cosine or constant.")
    String schedule;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of initialization, shuffling and augmentation.")
    long seed;

    @Option(names = "--out", paramLabel = "RUN", description = "Run directory (default: runs/train-MODEL-TIMESTAMP).")
    Path out;

    @Mixin
    DataOption dataOption;

    @Mixin
    ConfigOption configOption;

    @Mixin
    EpochsOption epochsOption;

    @Mixin
    LimitOptions limits;

    @Mixin
    ThreadsOption threadsOption;

    @Mixin
    DeviceOption deviceOption;

    @Mixin
    OverwriteOption overwriteOption;

    @Mixin
    ResumeOption resumeOption;

    @Mixin
    JsonOption jsonOption;

    @Mixin
    QuietOption quietOption;

    /** The run --resume continues: RUN, or --out when RUN is left out; null without --resume. */
    private Path resumeRun() {
        Path run = resumeOption.run(out);
        if (resumeOption.given() && run == null) {
            throw new UserError("--resume needs the run: --resume RUN (or --out RUN --resume)");
        }
        return run;
    }

    @Option(names = "--ortho", paramLabel = "R", defaultValue = "none", description = "Orthogonal regularization: so, dso, srip or none.")
    String ortho;

    @Option(names = "--ortho-lambda", paramLabel = "L", defaultValue = "1e-4", description = "Weight of the orthogonality term.")
    double orthoLambda;

    @Option(names = "--val-split", paramLabel = "N", defaultValue = "auto",
            description = "Training images held out for per-epoch evaluation and best/: auto (5000, at most a tenth), N, or 0 (none: epochs are evaluated on the test set, the behaviour before the split); --resume keeps the run's.")
    String valSplit;

    /** Training images held out as the validation set of this run. */
    private int heldOut;

    @Override
    public Integer call() throws IOException {
        Path resume = resumeRun();
        if (resume == null) {
            ModelNames.requireKnown(model);
            int epochs = epochsOption.epochs() == null ? 10 : epochsOption.epochs();
            TrainSettings s = new TrainSettings(model, dataOption.data(), epochs, batch, lr, momentum, weightDecay, schedule,
                    seed, limits.trainOr(0), limits.testOr(0), ortho, orthoLambda, CompressCommand.parseValSplit(valSplit));
            Path runDir = out != null ? out : Path.of("runs", "train-" + s.model() + "-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
            // The settings go into the marker too: a run killed before its first checkpoint resumes from them.
            boolean created = !Files.exists(runDir);
            try (RunLock _ = OutputGuard.newRun(runDir, overwriteOption.overwrite(), "--out", "train",
                    s.toJson(threadsOption.threads()))) {
                try {
                    return train(s, null, runDir);
                } catch (IOException | RuntimeException e) {
                    OutputGuard.discardIfUnused(runDir, created); // refused before training: nothing to resume
                    throw e;
                }
            }
        }
        Path runDir = out != null ? out : runDirOf(resume);
        if (!RunMarker.present(runDirOf(resume)) && !hasCheckpoint(checkpointOf(resume))) {
            CheckpointReader.load(checkpointOf(resume)); // not a run: the reader's one-line error, nothing created there
        }
        try (RunLock _ = out != null && !sameFile(out, runDirOf(resume))
                ? OutputGuard.newRun(out, overwriteOption.overwrite(), "--out", "train", null) : OutputGuard.existingRun(runDir, "train --resume", RUN_ENTRIES)) {
            Checkpoint resumed = null;
            TrainSettings saved;
            if (hasCheckpoint(checkpointOf(resume))) {
                resumed = CheckpointReader.load(checkpointOf(resume));
                saved = TrainSettings.fromJson(resumed.config(), resume.toString());
            } else {
                // Killed before its first checkpoint: the marker holds the settings; training starts again at epoch 0.
                JsonNode marker = RunMarker.read(runDirOf(resume));
                if (marker == null || !marker.has("config")) {
                    CheckpointReader.load(checkpointOf(resume)); // the usual one-line error: no checkpoint there
                }
                saved = TrainSettings.fromJson(marker.get("config"), runDirOf(resume).resolve(RunMarker.FILE).toString());
            }
            refuseChangedSettings(saved);
            return train(epochsOption.epochs() == null ? saved : saved.withEpochs(epochsOption.epochs()), resumed, runDir);
        }
    }

    /**
     * A fresh network: the zoo model of that name, or the architecture of a {@code .json} file in model.json form
     * (checked like a checkpoint's; its input must be the data's).
     */
    private static Module newModel(TrainSettings s, InputShape input) throws IOException {
        if (!s.model().endsWith(".json")) {
            return input.createZooModel(s.model(), s.seed());
        }
        ArchitectureFile a = ArchitectureFile.read(Path.of(s.model()), s.seed());
        if (!a.input().equals(input)) {
            throw new UserError("--model " + s.model() + " takes " + a.input().describe() + " but the data gives " + input.describe());
        }
        return a.model();
    }

    /** What a train run directory holds (and a resume reads or replaces). */
    private static final List<String> RUN_ENTRIES = List.of(RunMarker.FILE, "metrics.csv", "checkpoint", "best");

    private static boolean sameFile(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    private static boolean hasCheckpoint(Path dir) throws IOException {
        try {
            CheckpointReader.resolve(dir);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** The training options a resume may not change, with their field in the saved settings. */
    private static final String[][] FIXED = {{"--model", "model"}, {"--data", "data"}, {"--batch", "batch"}, {"--lr", "lr"},
            {"--momentum", "momentum"}, {"--weight-decay", "weight_decay"}, {"--schedule", "schedule"}, {"--seed", "seed"},
            {"--limit-train", "limit_train"}, {"--limit-test", "limit_test"}, {"--ortho", "ortho"}, {"--ortho-lambda", "ortho_lambda"},
            {"--val-split", "val_split"}};

    /**
     * A resume continues with the run's saved settings: a training option given with --resume must equal the
     * saved one (as compress --resume refuses a changed configuration), else one line names it.
     */
    private void refuseChangedSettings(TrainSettings saved) {
        ParseResult parsed = spec.commandLine().getParseResult();
        ObjectNode was = saved.toJson(0);
        ObjectNode given = null;
        for (String[] f : FIXED) {
            if (!parsed.hasMatchedOption(f[0])) {
                continue;
            }
            if (given == null) {
                given = new TrainSettings(model, dataOption.data(), saved.epochs(), batch, lr, momentum, weightDecay, schedule,
                        seed, limits.trainOr(0), limits.testOr(0), ortho, orthoLambda, CompressCommand.parseValSplit(valSplit))
                        .toJson(0);
            }
            if (!given.get(f[1]).equals(was.get(f[1]))) {
                throw new UserError(f[0] + " " + given.get(f[1]).asText() + " differs from the run's saved setting ("
                        + was.get(f[1]).asText() + "): --resume continues with the saved settings; start a new run"
                        + " (--out) to change them");
            }
        }
    }

    private Integer train(TrainSettings s, Checkpoint resumed, Path runDir) throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        boolean talk = !jsonOption.json() && !quietOption.quiet();
        try (ComputeSession cpu = ComputeSession.open(deviceOption.device(), threadsOption.threads())) {
            RunData rd = RunData.load(s.data(), s.limitTrain(), s.limitTest());
            InputShape input = rd.inputShape();
            Module net = resumed != null ? resumed.model() : newModel(s, input);
            if (resumed != null && !resumed.input().equals(input)) {
                throw new UserError("the checkpoint's model takes " + resumed.input().describe() + " but the data gives " + input.describe());
            }
            if (s.batch() > rd.split().train().size()) {
                throw new UserError("--batch " + s.batch() + " is larger than the " + rd.split().train().size()
                        + " training images: an epoch would train no batch; use --batch " + rd.split().train().size() + " or less");
            }
            MemoryEstimate.checkBatch(net, input.chw(), s.batch(), "--batch");
            CostReport cost = CostProfiler.profile(net, input.chw());
            int savedThreads = resumed == null ? cpu.threads() : resumed.config().path("threads").asInt(cpu.threads());
            if (talk) {
                stdout.println("data: " + rd.split().summary());
                stdout.printf(Locale.ROOT, "model: %s, %,d params (+%,d BN), %.2fM MACs per image; backend %s%n", s.model(),
                        cost.parameters(), cost.batchNormParameters(), cost.macs() / 1e6, cpu.describe());
                if (!s.ortho().equals("none")) {
                    stdout.println("orthogonal regularization: " + s.ortho() + ", lambda " + s.orthoLambda());
                }
                stdout.println("run directory: " + runDir);
                if (savedThreads != cpu.threads()) {
                    stdout.println("note: the run was started with " + savedThreads + " threads; with " + cpu.threads()
                            + " the continued run is not bit-identical to an uninterrupted one");
                }
                stdout.flush();
            }
            ObjectNode config = s.toJson(savedThreads);
            ValidationSplit held = ValidationSplit.of(rd.split().train(), s.validation() < 0
                    ? ValidationSplit.defaultSize(rd.split().train().size()) : s.validation(), s.seed());
            boolean validating = held.validation().size() > 0;
            heldOut = held.validation().size();
            if (talk && validating) {
                stdout.println("validation: " + held.validation().size() + " training images held out (seed " + s.seed()
                        + "); epochs and best/ are judged on them, the test set once at the end");
            }
            try (DataLoader train = new DataLoader(held.train(), LoaderOptions.training(s.batch(), s.seed(), rd.normalization())
                         .withAugmentation(rd.augmentation()));
                 DataLoader test = rd.testLoader(Math.max(s.batch(), 256));
                 DataLoader val = validating ? new DataLoader(held.validation(),
                         LoaderOptions.evaluation(Math.max(s.batch(), 256), rd.normalization())) : null) {
                Trainer trainer = s.trainingRun(net).trainer(net, train, validating ? val : test);
                if (resumed != null && resumed.optimizerType() != null) {
                    OptimizerState.restore(trainer.optimizer(), net, resumed.optimizerType(), resumed.optimizerTensors(), resumeRun());
                }
                if (resumed != null) {
                    trainer.restore(resumed.training());
                }
                // The latest checkpoint is saved last: once it holds epoch e, metrics and best/ hold it too, so a
                // run killed at any point and resumed from checkpoint/ never misses a best epoch.
                trainer.addListener(new MetricsCsvListener(runDir.resolve("metrics.csv"), validating ? "val" : "test"))
                        .addListener(CheckpointListener.best(runDir.resolve("best"), s.model(), input, config))
                        .addListener(CheckpointListener.latest(runDir.resolve("checkpoint"), s.model(), input, config));
                if (talk) {
                    trainer.addListener(new ProgressLine(stdout, System.console() != null));
                }
                long t0 = System.nanoTime();
                List<EpochResult> history;
                try {
                    history = trainer.fit();
                } catch (TrainingStoppedException e) {
                    Path last = runDir.resolve("checkpoint");
                    throw new UserError("phase train: " + e.getMessage() + "; last good checkpoint: "
                            + (CheckpointReader.isCheckpoint(last) ? last : "none yet (it diverged in its first epoch)"));
                }
                // the test set once, on the final model (without a split the last epoch's evaluation was on it)
                EvalResult tested = validating ? Evaluator.evaluate(net, test) : null;
                double secs = (System.nanoTime() - t0) / 1e9;
                report(stdout, s, rd, runDir, history, trainer.state().bestTestAccuracy(), secs, cost, tested);
            }
        }
        return 0;
    }

    private void report(PrintWriter stdout, TrainSettings s, RunData rd, Path runDir, List<EpochResult> history, double best,
                        double secs, CostReport cost, EvalResult tested) {
        boolean validating = tested != null;
        EpochResult last = history.isEmpty() ? null : history.getLast();
        if (jsonOption.json()) {
            ObjectNode o = MAPPER.createObjectNode();
            o.put("model", s.model());
            o.put("data", rd.split().summary());
            o.put("epochs", history.size());
            o.put("params", cost.parameters());
            o.put("macs", cost.macs());
            if (last != null) {
                o.put("train_loss", last.trainLoss());
                o.put("train_acc", last.trainAccuracy());
                if (validating) {
                    o.put("val_loss", last.testLoss());
                    o.put("val_acc", last.testAccuracy());
                    o.put("test_loss", tested.loss());
                    o.put("test_acc", tested.accuracy());
                } else {
                    o.put("test_loss", last.testLoss());
                    o.put("test_acc", last.testAccuracy());
                }
            }
            o.put(validating ? "best_val_acc" : "best_test_acc", Double.isNaN(best) ? null : best);
            if (validating) {
                o.put("validation_images", heldOut);
            }
            o.put("seconds", secs);
            o.put("out", runDir.toString());
            o.put("metrics", runDir.resolve("metrics.csv").toString());
            o.put("checkpoint", runDir.resolve("checkpoint").toString());
            o.put("best", runDir.resolve("best").toString());
            stdout.println(o.toString());
        } else if (last == null) {
            stdout.println("nothing to train: the run already has " + s.epochs() + " epochs; results in " + runDir);
        } else if (validating) {
            stdout.printf(Locale.ROOT, "test accuracy %.2f%% after %d epoch%s (validation %.2f%%, best %.2f%%), %.1f s; metrics.csv, checkpoint/ and best/ in %s%n",
                    100 * tested.accuracy(), history.size(), history.size() == 1 ? "" : "s", 100 * last.testAccuracy(), 100 * best, secs, runDir);
        } else {
            stdout.printf(Locale.ROOT, "test accuracy %.2f%% after %d epoch%s (best %.2f%%), %.1f s; metrics.csv, checkpoint/ and best/ in %s%n",
                    100 * last.testAccuracy(), history.size(), history.size() == 1 ? "" : "s", 100 * best, secs, runDir);
        }
        stdout.flush();
    }

    /** RUN itself when it is a checkpoint directory, else RUN/checkpoint (the run directory's latest). */
    static Path checkpointOf(Path run) {
        return CheckpointReader.isCheckpoint(run) ? run : run.resolve("checkpoint");
    }

    /** The run directory of a --resume argument: the parent of a checkpoint directory, else RUN itself. */
    private static Path runDirOf(Path resume) {
        if (!CheckpointReader.isCheckpoint(resume)) {
            return resume;
        }
        Path parent = resume.toAbsolutePath().getParent();
        return parent == null ? resume : parent;
    }

    /** The zoo's names for the help text. */
    static final class ModelNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return ModelZoo.names().iterator();
        }

        /** Refuses a --model that is neither a zoo name nor a .json file, suggesting the nearest zoo name. */
        static void requireKnown(String model) {
            if (model.toLowerCase(Locale.ROOT).endsWith(".json") || ModelZoo.names().contains(model.toLowerCase(Locale.ROOT))) {
                return;
            }
            throw new UserError("unknown model '" + model + "'"
                    + org.rankfold.tools.options.Suggestions.closest(model, ModelZoo.names()).map(n -> "; did you mean " + n + "?").orElse("")
                    + " (zoo models: " + String.join(", ", ModelZoo.names()) + ", or FILE.json, an architecture in model.json form)");
        }
    }
}
