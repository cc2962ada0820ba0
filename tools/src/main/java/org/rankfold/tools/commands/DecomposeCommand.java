package org.rankfold.tools.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.engine.checkpoint.Checkpoint;
import org.rankfold.engine.checkpoint.CheckpointReader;
import org.rankfold.engine.checkpoint.CheckpointWriter;
import org.rankfold.engine.checkpoint.Preprocessing;
import org.rankfold.engine.train.TrainingRun;
import org.rankfold.engine.train.TrainingStoppedException;
import org.rankfold.engine.train.TrainingState;
import org.rankfold.tools.UserError;
import org.rankfold.tools.compress.FineTuning;
import org.rankfold.tools.compress.LayerTable;
import org.rankfold.tools.compress.RankOptions;
import org.rankfold.tools.output.OutputGuard;
import org.rankfold.tools.output.RunLock;
import org.rankfold.tools.json.Json;
import org.rankfold.datasets.loader.DataLoader;
import org.rankfold.engine.infer.PlanEvaluator;
import org.rankfold.engine.nn.Module;
import org.rankfold.tools.options.DataOption;
import org.rankfold.tools.options.DeviceOption;
import org.rankfold.tools.options.FinetuneOptions;
import org.rankfold.tools.options.JsonOption;
import org.rankfold.tools.options.LimitOptions;
import org.rankfold.tools.options.OverwriteOption;
import org.rankfold.tools.options.Prefix;
import org.rankfold.tools.options.QuietOption;
import org.rankfold.tools.options.ThreadsOption;
import org.rankfold.tools.train.ComputeSession;
import org.rankfold.tools.train.RunData;
import org.rankfold.vbmf.audit.AuditJson;
import org.rankfold.vbmf.audit.DecompositionAudit;
import org.rankfold.kernels.Backends;
import org.rankfold.vbmf.decompose.Decomposer;
import org.rankfold.vbmf.decompose.DecompositionResult;
import org.rankfold.vbmf.decompose.ForwardTimer;
import org.rankfold.vbmf.decompose.RankPlanning;
import org.rankfold.vbmf.decompose.SpeedCheck;
import org.rankfold.vbmf.pipeline.LayerSummary;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `rankfold decompose`: EVBMF + Tucker-2 on an existing trained model (docs/method.md, which layers): every eligible
 * kxk convolution becomes a 1x1 -> kxk -> 1x1 factorized convolution at the selected ranks, linear layers
 * (and with --pointwise, 1x1 convolutions) a two-factor SVD, each only where params and MACs both drop.
 * With --finetune, fine-tunes the decomposed model on --data first. Writes the decomposed checkpoint and its
 * audit.jsonl (the singular values and sigma^2 behind every rank).
 */
@Command(name = "decompose", mixinStandardHelpOptions = true,
        description = "EVBMF + Tucker-2 on an existing trained model.",
        footer = {"", "Test accuracy is measured before decomposition, after it and after fine-tuning (--no-eval: not),",
            "with a warning when it falls by more than --max-drop points.",
            "", "Examples (after ./rankfold compress, which writes runs/fashionnet-quick):",
            "  ./rankfold decompose runs/fashionnet-quick/checkpoints/baseline --out runs/decomposed",
            "  ./rankfold decompose runs/fashionnet-quick --target-params-ratio 4 --limit-test 500 --out runs/decomposed-4x --json",
            "  ./rankfold decompose runs/fashionnet-quick --finetune-epochs 1 --limit-train 2000 --limit-test 500 --out runs/decomposed-ft"})
public final class DecomposeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CHECKPOINT",
            description = "A checkpoint directory (model.json, weights.safetensors, state.json), or a run directory: a train"
                    + " run's final checkpoint (checkpoint/), a compress run's baseline (checkpoints/baseline).")
    Path checkpoint;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where to write the decomposed checkpoint and audit.jsonl (default: CHECKPOINT-decomposed next to it).")
    Path out;

    @Mixin
    RankOptions ranks;

    @Option(names = "--momentum", paramLabel = "M", defaultValue = "0.9",
            description = "SGD momentum of the fine-tuning (--finetune-epochs).")
    double momentum;

    @Option(names = "--weight-decay", paramLabel = "WD", defaultValue = "5e-4",
            description = "L2 weight decay of the fine-tuning (--finetune-epochs).")
    double weightDecay;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "128", description = "Fine-tuning batch size, and the batch timed by --speed-aware.")
    int batch;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of the fine-tuning data order.")
    long seed;

    @Option(names = "--max-drop", paramLabel = "POINTS", defaultValue = "5",
            description = "Warn when the test accuracy falls by more than POINTS percentage points from the model before decomposition.")
    double maxDrop;

    @Option(names = "--no-eval", description = "Do not measure test accuracy before and after (no data needed without --finetune-epochs).")
    boolean noEval;

    @Mixin
    DataOption dataOption;

    @Mixin
    FinetuneOptions finetuneOptions;

    @Mixin
    LimitOptions limits;

    @Mixin
    ThreadsOption threadsOption;

    @Mixin
    DeviceOption deviceOption;

    @Mixin
    OverwriteOption overwriteOption;

    @Mixin
    JsonOption jsonOption;

    @Mixin
    QuietOption quietOption;

    @Override
    public Integer call() throws IOException {
        ranks.validate();
        int finetune = finetuneOptions.epochs() == null ? 0 : finetuneOptions.epochs();
        double finetuneLr = finetuneOptions.lr() == null ? 0.01 : finetuneOptions.lr();
        if (batch < 1) {
            throw new UserError("--batch must be >= 1, got " + batch);
        }
        if (!(momentum >= 0 && momentum < 1) || !(weightDecay >= 0)) {
            throw new UserError("--momentum must be in [0, 1) and --weight-decay >= 0, got " + momentum + " and "
                    + weightDecay);
        }
        if (!(maxDrop >= 0)) {
            throw new UserError("--max-drop must be >= 0 percentage points, got " + maxDrop);
        }
        Path source = checkpointIn(checkpoint.toAbsolutePath().normalize());
        Path target = (out != null ? out : source.resolveSibling(source.getFileName() + "-decomposed"))
                .toAbsolutePath().normalize();
        if (target.equals(source)) {
            throw new UserError("--out must differ from the checkpoint being decomposed: " + source);
        }
        OutputGuard.checkCheckpointTarget(target, overwriteOption.overwrite(), "--out");
        try (RunLock _ = OutputGuard.lockParentRun(target, "decompose")) {
            return decompose(source, target, finetune, finetuneLr);
        }
    }

    /**
     * The checkpoint to decompose: {@code path} itself when it is one; a train run's final checkpoint
     * ({@code checkpoint/}) or a compress run's trained baseline ({@code checkpoints/baseline}), said on stderr.
     */
    private Path checkpointIn(Path path) {
        if (CheckpointReader.isCheckpoint(path) || !Files.isDirectory(path)) {
            return path;
        }
        for (String inner : new String[] {"checkpoint", "checkpoints/baseline"}) {
            Path p = path.resolve(inner);
            if (CheckpointReader.isCheckpoint(p)) {
                if (!jsonOption.json() && !quietOption.quiet()) {
                    spec.commandLine().getErr().println("decomposing " + p + " (the run's "
                            + (inner.equals("checkpoint") ? "final checkpoint" : "trained baseline") + ")");
                }
                return p;
            }
        }
        throw new UserError(path + " is neither a checkpoint directory (model.json, weights.safetensors, state.json) nor"
                + " a run directory with checkpoint/ (train) or checkpoints/baseline (compress)");
    }

    /** The data to measure accuracy on: --data, else the data the checkpoint was trained on, else the default. */
    private String dataSpec(Checkpoint ck) {
        if (dataOption.given()) {
            return dataOption.data();
        }
        JsonNode cfg = ck.config();
        return cfg != null && cfg.hasNonNull("data") ? cfg.get("data").asText() : null;
    }

    /** Test accuracy of {@code model} on the test part of {@code rd}, through the compiled inference plan. */
    private double accuracy(Module model, RunData rd) {
        try (DataLoader test = rd.testLoader(batch)) {
            return PlanEvaluator.evaluate(model, test).accuracy();
        }
    }

    private Integer decompose(Path source, Path target, int finetune, double finetuneLr) throws IOException {
        Checkpoint ck = CheckpointReader.load(source);
        int[] input = ck.input().chw();
        boolean json = jsonOption.json();
        PrintWriter progress = spec.commandLine().getErr();
        RankPlanning d;
        DecompositionResult r;
        FineTuning tuned = null;
        double accuracyBefore = Double.NaN;
        double accuracyDecomposed = Double.NaN;
        String evalData = null;
        try (ComputeSession _ = ComputeSession.open(deviceOption.device(), threadsOption.threads())) {
            RunData rd = null;
            if (!noEval || finetune > 0) {
                rd = RunData.load(dataSpec(ck), 0, limits.testOr(0));
                if (!rd.inputShape().equals(ck.input())) {
                    if (dataOption.given() || finetune > 0) {
                        throw new UserError("the model in " + source + " takes " + ck.input() + " but --data "
                                + rd.split().summary() + " gives " + rd.inputShape());
                    }
                    progress.println("note: accuracy not measured: the default data " + rd.split().summary()
                            + " does not fit the model (" + ck.input() + "); give --data");
                    rd = null;
                }
            }
            if (rd != null && !noEval) {
                evalData = rd.split().summary();
                accuracyBefore = accuracy(ck.model(), rd);
            }
            SpeedCheck speed = ranks.speedAware ? new SpeedCheck(ForwardTimer.defaults(), batch,
                    Backends.current().threads(), ranks.speedMargin) : null;
            d = RankPlanning.plan(ck.model(), input, ranks.settings(), "decompose", speed);
            r = Decomposer.apply(ck.model(), d.plan(), d.options());
            if (rd != null && !noEval) {
                accuracyDecomposed = accuracy(ck.model(), rd);
            }
            if (finetune > 0) {
                try {
                    tuned = FineTuning.run(ck.model(), ck.input(),
                            TrainingRun.cosine(finetune, finetuneLr, momentum, weightDecay), batch, dataSpec(ck),
                            limits.trainOr(0), limits.testOr(0), seed);
                } catch (TrainingStoppedException e) {
                    throw new UserError("phase finetune: " + e.getMessage() + "; nothing was written; last good"
                            + " checkpoint: " + source + " (the model before decomposition)");
                }
            }
        }
        double accuracyFinal = tuned != null ? tuned.accuracyAfter() : accuracyDecomposed;
        double drop = 100 * (accuracyBefore - accuracyFinal);
        boolean dropWarning = drop > maxDrop;
        if (dropWarning) {
            progress.println(String.format(java.util.Locale.ROOT, "%s: warning: test accuracy fell by %.1f points"
                    + " (%.2f%% -> %.2f%%), more than --max-drop %s; try fine-tuning (--finetune-epochs), a larger"
                    + " --weakening or --max-rank, or a smaller --target-params-ratio", Prefix.of(spec),
                    drop, 100 * accuracyBefore, 100 * accuracyFinal, maxDrop));
        }
        progress.flush();

        ObjectNode config = Json.object();
        config.put("decomposed_from", source.toString());
        String selector = d.options().selector().describe();
        ObjectNode targetRecord = d.targetRecord("decompose", null);
        config.put("selector", selector);
        config.put("weakening", d.weakening());
        config.put("finetune_epochs", finetune);
        if (!Double.isNaN(accuracyBefore)) {
            config.put("accuracy_before", accuracyBefore);
            config.put("accuracy_final", accuracyFinal);
        }
        CheckpointWriter.save(target, ck.model(), ck.modelName(), ck.input(), TrainingState.initial(), null, null, config,
                Preprocessing.read(source).orElse(null));
        Path audit = target.resolve("audit.jsonl");
        List<String> lines = new ArrayList<>();
        if (targetRecord != null) {
            lines.add(targetRecord.toString());
        }
        for (DecompositionAudit a : r.layers()) {
            ObjectNode rec = AuditJson.toJson(a);
            rec.put("selector", selector);
            lines.add(rec.toString());
        }
        Files.write(audit, lines, StandardCharsets.UTF_8);

        ArrayNode layers = LayerSummary.of(r.layers());
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            ObjectNode j = Json.object();
            j.put("checkpoint", source.toString());
            j.put("out", target.toString());
            j.put("audit", audit.toString());
            j.put("model", ck.modelName());
            j.set("input_shape", Json.ints(input));
            j.put("selector", selector);
            j.put("weakening", d.weakening());
            if (targetRecord != null) {
                j.put("target_met", targetRecord.get("met").asBoolean());
            }
            j.put("decomposed_layers", r.decomposedCount());
            j.put("params_before", r.paramsBefore());
            j.put("params_after", r.paramsAfter());
            j.put("macs_before", r.macsBefore());
            j.put("macs_after", r.macsAfter());
            j.put("params_ratio", r.paramsRatio());
            j.put("macs_ratio", r.macsRatio());
            j.set("layers", layers);
            if (!Double.isNaN(accuracyBefore)) {
                ObjectNode acc = j.putObject("accuracy");
                acc.put("data", evalData);
                acc.put("before", accuracyBefore);
                acc.put("decomposed", accuracyDecomposed);
                acc.put("final", accuracyFinal);
                acc.put("drop_points", drop);
                acc.put("max_drop_points", maxDrop);
                acc.put("warning", dropWarning);
            }
            if (tuned != null) {
                ObjectNode f = j.putObject("finetune");
                f.put("epochs", tuned.epochs().size());
                f.put("learning_rate", finetuneLr);
                f.put("data", tuned.data());
                f.put("accuracy_before", tuned.accuracyBefore());
                f.put("accuracy_after", tuned.accuracyAfter());
            }
            Json.print(o, j);
        } else {
            o.println("decomposed " + source + " (" + ck.modelName() + ", input " + java.util.Arrays.toString(input)
                    + ") with " + selector);
            if (targetRecord != null) {
                o.println((targetRecord.get("met").asBoolean() ? "target met" : "target NOT met even at the smallest ranks")
                        + (Double.isNaN(d.searchedValue())
                        ? ": EVBMF strength t = " + d.weakening() + " (t <= 1: MUSCO weakening; t > 1: raised EVBMF threshold)"
                        : ": " + targetRecord.get("selector").asText() + " " + d.searchedValue()));
            }
            LayerTable.print(o, layers);
            o.println("total: " + LayerTable.totals(r.paramsBefore(), r.paramsAfter(), r.macsBefore(), r.macsAfter()));
            if (!Double.isNaN(accuracyBefore)) {
                o.println(String.format(java.util.Locale.ROOT, "test accuracy on %s: %.2f%% before, %.2f%% decomposed%s",
                        evalData, 100 * accuracyBefore, 100 * accuracyDecomposed, tuned == null ? ""
                                : String.format(java.util.Locale.ROOT, ", %.2f%% fine-tuned", 100 * tuned.accuracyAfter())));
            }
            if (tuned != null) {
                o.println(String.format(java.util.Locale.ROOT, "fine-tuned %d epochs on %s: test accuracy %.2f%% -> %.2f%%",
                        tuned.epochs().size(), tuned.data(), 100 * tuned.accuracyBefore(), 100 * tuned.accuracyAfter()));
            }
            o.println("wrote " + target + " and " + audit);
            o.flush();
        }
        return 0;
    }
}
