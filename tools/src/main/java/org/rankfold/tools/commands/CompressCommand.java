package org.rankfold.tools.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.engine.nn.Module;
import org.rankfold.tools.UserError;
import org.rankfold.tools.compress.CompressProgress;
import org.rankfold.tools.compress.LayerTable;
import org.rankfold.tools.compress.RankOptions;
import org.rankfold.tools.compress.VariantTable;
import org.rankfold.tools.json.Json;
import org.rankfold.tools.output.OutputGuard;
import org.rankfold.tools.output.RunLock;
import org.rankfold.tools.output.RunMarker;
import org.rankfold.tools.report.ReportBuilder;
import org.rankfold.tools.train.ComputeSession;
import org.rankfold.tools.train.MemoryEstimate;
import org.rankfold.tools.train.RunData;
import org.rankfold.vbmf.pipeline.CompressionConfig;
import org.rankfold.vbmf.pipeline.CompressionPipeline;
import org.rankfold.vbmf.pipeline.ConfigBuilder;
import org.rankfold.vbmf.pipeline.ModelSource;
import org.rankfold.vbmf.pipeline.OverparamMode;
import org.rankfold.vbmf.pipeline.PipelineListener;
import org.rankfold.vbmf.pipeline.RunDirectory;
import org.rankfold.vbmf.pipeline.Variant;

import org.rankfold.tools.options.ConfigOption;
import org.rankfold.tools.options.DataOption;
import org.rankfold.tools.options.DeviceOption;
import org.rankfold.tools.options.EpochsOption;
import org.rankfold.tools.options.FinetuneOptions;
import org.rankfold.tools.options.JsonOption;
import org.rankfold.tools.options.LimitOptions;
import org.rankfold.tools.options.OverwriteOption;
import org.rankfold.tools.options.QuietOption;
import org.rankfold.tools.options.ResumeOption;
import org.rankfold.tools.options.ThreadsOption;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `rankfold compress`: the whole method (docs/method.md): baseline training, over-parameterized training with
 * orthogonal regularization, fold, EVBMF ranks, Tucker-2, fine-tuning, evaluation and the ablation, with the
 * run directory of docs/file-formats.md. The preset gives every setting; flags override single ones.
 */
@Command(name = "compress", mixinStandardHelpOptions = true,
        description = "The whole method: baseline training, over-parameterized training with orthogonal regularization, fold, EVBMF ranks, Tucker-2, fine-tuning, evaluation, ablation, audit and report.",
        footer = {"", "Presets:",
            "  quick     first 2000 train / 500 test images, 2 epochs per model, 1 fine-tuning epoch, variants plain and full",
            "            (the default when only the bundled sample is available)",
            "  standard  all of Fashion-MNIST (55,000 train, 5,000 validation), 3 epochs per model, 2 fine-tuning epochs,",
            "            variants plain and full, budget-matched baseline (the default when the full set is installed)",
            "  full      all images, 15 epochs per model, 5 fine-tuning epochs, variants plain, ortho, overparam and full",
            "", "Examples:", "  ./rankfold compress --preset quick --limit-train 500 --limit-test 200 --out runs/small",
            "  ./rankfold compress --resume runs/small",
            "  ./rankfold compress --config runs/small/config.json --data sample --seed 2 --out runs/small-seed2",
            "  ./rankfold compress --model runs/fashionnet-quick/checkpoints/baseline/model.json --preset quick --limit-train 300 --limit-test 100 --epochs 1 --variants plain --out runs/own-net",
            "", "Long runs (hours; not run by the tests):",
            "  ./rankfold compress --preset full --data fashion-mnist --target-params-ratio 3 --out runs/fm3x",
            "  ./rankfold compress --preset full --data fashion-mnist --target-params-ratio 8 --reuse-training runs/fm3x --out runs/fm8x"})
public final class CompressCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "MODEL", defaultValue = "fashionnet",
            description = "Zoo model (${COMPLETION-CANDIDATES}) or FILE.json, an architecture in the form of a checkpoint's"
                    + " model.json (see 'rankfold inspect FILE.json'); the run keeps a copy (architecture.json).",
            completionCandidates = TrainCommand.ModelNames.class)
    String model;

    @Option(names = "--preset", paramLabel = "P",
            description = "quick, standard or full (default: standard when the full Fashion-MNIST is the data, else quick).")
    String preset;

    @Option(names = "--val-split", paramLabel = "N",
            description = "Training images held out for validation (per-epoch evaluation; the test set is evaluated once per final model): auto (5000, at most a tenth), N, or 0 for none (the behaviour before the split). Default: auto (the preset's).")
    String valSplit;

    @Option(names = "--no-matched-baseline", description = "Skip the budget-matched baseline (the dense model fine-tuned like the variants: baseline/finetune, baseline/eval).")
    boolean noMatchedBaseline;

    @Option(names = "--out", paramLabel = "RUN", description = "Run directory (default: runs/MODEL-PRESET; for --model FILE.json the file's name without .json).")
    Path out;

    @Option(names = "--reuse-training", paramLabel = "RUN",
            description = "Start from the completed training phases (baseline, V/train) of the compress run in RUN instead of training again: its checkpoints, results and metrics rows are copied; the settings that define training (model, seed, data and limits, batch, epochs, lr, momentum, weight decay, overparam, expand, ortho settings, pointwise, first; an architecture file's SHA-256, so give the same file, e.g. RUN/architecture.json) must be equal. Then fold, ranks, Tucker-2 and fine-tuning run with this run's --target-*/rank options: one set of trained models, several targets.")
    Path reuseTraining;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of every variant.")
    long seed;

    @Option(names = "--batch", paramLabel = "N", description = "Batch size (default: the preset's).")
    Integer batch;

    @Option(names = "--lr", paramLabel = "LR", description = "Initial learning rate of training (cosine schedule; default: the preset's).")
    Double lr;

    @Option(names = "--overparam", paramLabel = "M", description = "factorized, expand or none (default: the preset's).")
    String overparam;

    @Option(names = "--expand", paramLabel = "E", description = "Expansion factor of --overparam expand, >= 1 (e.g. 2 or 4; default: the preset's, 2).")
    Double expand;

    @Option(names = "--ortho", paramLabel = "R", description = "so, dso, srip or none (default: the preset's).")
    String ortho;

    @Option(names = "--ortho-lambda", paramLabel = "L", description = "Weight of the orthogonal penalty (default: the preset's).")
    Double orthoLambda;

    @Option(names = "--ortho-decay", paramLabel = "D", description = "Lambda is multiplied by D after every epoch, in (0, 1] (default: the preset's, 1: constant).")
    Double orthoDecay;

    @Option(names = "--ortho-plain", description = "The ortho and full variants also regularize plain conv/linear weights.")
    boolean orthoPlain;

    @Option(names = "--ortho-finetune", description = "Keep the orthogonal penalty on the new factors while fine-tuning (ortho/full variants).")
    boolean orthoFinetune;

    @Option(names = "--variants", paramLabel = "V", split = ",", description = "Variants to run: plain, ortho, overparam, full (default: the preset's).")
    List<String> variants;

    @Mixin
    RankOptions ranks;

    @Mixin
    DataOption dataOption;

    @Mixin
    ConfigOption configOption;

    @Mixin
    EpochsOption epochsOption;

    @Mixin
    FinetuneOptions finetune;

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

    /** The run directory: --out, or the RUN of --resume RUN (both must agree when both are given); null: the default. */
    private Path runDirectoryGiven() {
        Path resumed = resumeOption.run(out);
        if (resumed != null && out != null && !resumed.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
            throw new UserError("--resume " + resumed + " and --out " + out + " name different runs; give the run once");
        }
        return resumed != null ? resumed : out;
    }

    @Override
    public Integer call() throws IOException {
        Path given = runDirectoryGiven();
        TrainCommand.ModelNames.requireKnown(model);
        ModelSource network = ModelSource.of(model);
        RunData runData = RunData.load(dataOption.givenOrNull(), 0, 0);
        String why = null;
        if (preset == null) {
            boolean full = isFullFashionMnist(runData);
            preset = full ? "standard" : "quick";
            why = full ? "the full Fashion-MNIST is the data; --preset quick for a smoke test"
                    : "only " + runData.split().train().size() + " training images (not the full Fashion-MNIST); --preset standard or full for a result";
        }
        CompressionConfig config = config(network.name());
        boolean resume = resumeOption.given();
        if (why != null && !quietOption.quiet()) {
            PrintWriter progressOut = jsonOption.json() ? spec.commandLine().getErr() : spec.commandLine().getOut();
            progressOut.println("preset: " + preset + " (" + why + ")");
            progressOut.flush();
        }
        Path dir = given != null ? given : Path.of("runs", network.label() + "-" + preset.toLowerCase(Locale.ROOT));
        checkMemory(config, network, runData);
        if (resume && java.nio.file.Files.isDirectory(dir) && !RunMarker.present(dir)
                && !java.nio.file.Files.exists(dir.resolve("config.json"))) {
            throw new UserError("--resume: " + dir + " is not a compress run directory (no config.json); nothing to continue");
        }
        // One writer per run directory, for the whole command (report included); a new run replaces only a run
        // of ours, and only with --overwrite.
        try (RunLock _ = resume && java.nio.file.Files.exists(dir) ? OutputGuard.existingRun(dir, "compress --resume", RUN_ENTRIES)
                : OutputGuard.newRun(dir, overwriteOption.overwrite(), "--out", "compress", null)) {
            return compress(config, network, runData, dir, resume);
        }
    }

    /**
     * Refuses up front what cannot fit in the heap or in an array: a batch larger than the training data (an
     * epoch would train nothing), a batch whose activations exceed the heap, an expansion factor whose
     * over-parameterized model cannot be held.
     */
    private static void checkMemory(CompressionConfig config, ModelSource network, RunData runData) throws IOException {
        int images = limit(config.limitTrain(), runData.split().train().size());
        if (config.batchSize() > images) {
            throw new UserError("--batch " + config.batchSize() + " is larger than the " + images + " training images: an"
                    + " epoch would train no batch; use --batch " + images + " or less");
        }
        Module m = network.create(runData.inputShape(), config.seed());
        MemoryEstimate.checkBatch(m, runData.inputShape().chw(), config.batchSize(), "--batch");
        if (config.overparam() == OverparamMode.EXPAND && config.variants().stream().anyMatch(Variant::overparameterized)) {
            MemoryEstimate.checkExpansion(m, config.expand(), config.pointwise(), config.first(), "--expand");
        }
    }

    private Integer compress(CompressionConfig config, ModelSource network, RunData runData, Path dir, boolean resume)
            throws IOException {
        boolean json = jsonOption.json();
        boolean quiet = quietOption.quiet();
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter progressOut = json ? spec.commandLine().getErr() : o;
        RunDirectory run = new RunDirectory(dir);
        PipelineListener listener = quiet ? new PipelineListener() { } : new CompressProgress(progressOut,
                !json && System.console() != null);
        if (!quiet) {
            progressOut.println("data: " + runData.split().summary()
                    + (config.limitTrain() > 0 || config.limitTest() > 0 ? "; using the first " + limit(config.limitTrain(),
                    runData.split().train().size()) + " train and " + limit(config.limitTest(), runData.split().test().size())
                    + " test images" : ""));
            progressOut.println("run directory: " + run.root());
            progressOut.flush();
        }
        ObjectNode summary;
        try (ComputeSession _ = ComputeSession.open(deviceOption.device(), threadsOption.threads())) {
            summary = new CompressionPipeline(config, network, runData.split(), runData.normalization(),
                    runData.augmentation(), run, listener).reuseTraining(reuseTraining).run(resume);
        }
        // The report is part of the run's output: rebuilt any time with `rankfold report RUN`.
        Path report = ReportBuilder.write(run.root(), List.of());
        if (json) {
            summary.put("run_directory", run.root().toString());
            summary.put("report", report.toString());
            Json.print(o, summary);
        } else {
            o.println();
            o.println("compressed layers (" + summary.get("compressed").get("variant").asText() + "):");
            LayerTable.print(o, summary.get("layers"));
            o.println();
            VariantTable.print(o, summary);
            o.println("data: " + summary.get("data").get("dataset").asText() + " (" + summary.get("data").get("train_images")
                    + " train, " + summary.get("data").get("test_images") + " test images)");
            o.println("run directory: " + run.root() + " (summary.json, audit.jsonl, metrics.csv, checkpoints/)");
            o.println("report: " + report + " (open it in any browser)");
            o.flush();
        }
        return 0;
    }

    /** {@code --val-split}: auto, or a whole number of images >= 0. */
    static int parseValSplit(String s) {
        if (s.trim().equalsIgnoreCase("auto")) {
            return CompressionConfig.AUTO_VALIDATION;
        }
        try {
            int n = Integer.parseInt(s.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserError("--val-split must be auto or a whole number of images >= 0, got '" + s + "'");
    }

    /** The full Fashion-MNIST (not the bundled sample, not another set): what the standard preset is made for. */
    private static boolean isFullFashionMnist(RunData d) {
        return d.split().origin().startsWith("fashion-mnist") && d.split().train().size() >= 60000
                && d.split().train().channels() == 1 && d.split().train().height() == 28;
    }

    /** What a compress run directory holds (and a resume reads, appends to or replaces). */
    private static final List<String> RUN_ENTRIES = List.of(RunMarker.FILE, "config.json", "progress.json", "audit.jsonl",
            "metrics.csv", "orthogonality.csv", "summary.json", "report.html", "checkpoints", "predictions", ModelSource.FILE_NAME);

    private static int limit(int limit, int size) {
        return limit > 0 ? Math.min(limit, size) : size;
    }

    private CompressionConfig config(String model) {
        ranks.validate();
        CompressionConfig base = switch (preset.toLowerCase(Locale.ROOT)) {
            case "quick" -> CompressionConfig.quick(model, seed);
            case "standard" -> CompressionConfig.standard(model, seed);
            case "full" -> CompressionConfig.full(model, seed);
            default -> throw new UserError("--preset must be quick, standard or full, got '" + preset + "'");
        };
        ConfigBuilder b = new ConfigBuilder(base);
        if (epochsOption.epochs() != null) {
            b.epochs(epochsOption.epochs());
        }
        if (batch != null) {
            b.batchSize(batch);
        }
        if (lr != null) {
            b.learningRate(lr);
        }
        if (finetune.epochs() != null) {
            b.finetuneEpochs(finetune.epochs());
        }
        if (finetune.lr() != null) {
            b.finetuneLr(finetune.lr());
        }
        if (overparam != null) {
            b.overparam(OverparamMode.parse(overparam));
        }
        if (expand != null) {
            b.expand(expand);
        }
        if (ortho != null) {
            b.ortho(ortho);
        }
        if (orthoLambda != null) {
            b.orthoLambda(orthoLambda);
        }
        if (orthoDecay != null) {
            b.orthoDecay(orthoDecay);
        }
        if (orthoPlain) {
            b.orthoPlain(true);
        }
        if (orthoFinetune) {
            b.orthoFinetune(true);
        }
        if (variants != null) {
            List<Variant> vs = new ArrayList<>();
            variants.forEach(v -> vs.add(Variant.parse(v)));
            b.variants(vs);
        }
        if (limits.train() != null) {
            b.limitTrain(limits.train());
        }
        if (limits.test() != null) {
            b.limitTest(limits.test());
        }
        if (valSplit != null) {
            b.validation(parseValSplit(valSplit));
        }
        if (noMatchedBaseline) {
            b.matchedBaseline(false);
        }
        b.selector(ranks.selector).weakening(ranks.weakening).minRank(ranks.minRank).maxRank(ranks.maxRankOrUnlimited())
                .targetParamsRatio(ranks.targetParamsRatio == null ? 0 : ranks.targetParamsRatio)
                .targetMacsRatio(ranks.targetMacsRatio == null ? 0 : ranks.targetMacsRatio)
                .pointwise(ranks.pointwise).linear(!ranks.noLinear).first(ranks.first).classifier(ranks.classifier)
                .speedAware(ranks.speedAware).speedMargin(ranks.speedMargin);
        return b.build();
    }
}
