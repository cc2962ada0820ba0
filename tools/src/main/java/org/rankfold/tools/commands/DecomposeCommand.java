package org.rankfold.tools.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

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
import org.rankfold.tools.train.CpuSession;
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
        footer = {"", "Example:", "  ./rankfold decompose runs/demo/checkpoints/baseline --out runs/demo/decomposed",
            "  ./rankfold decompose model --target-params-ratio 4 --json",
            "  ./rankfold decompose model --finetune 3 --data fashion-mnist",
            "  ./rankfold decompose model --speed-aware --batch 128 --threads 2"})
public final class DecomposeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "A checkpoint directory (model.json, weights.safetensors, state.json).")
    Path checkpoint;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where to write the decomposed checkpoint and audit.jsonl (default: CHECKPOINT-decomposed next to it).")
    Path out;

    @Mixin
    RankOptions ranks;

    @Option(names = "--overwrite", description = "Replace the checkpoint already in --out (only a checkpoint rankfold wrote).")
    boolean overwrite;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Option(names = "--finetune", paramLabel = "EPOCHS", defaultValue = "0",
            description = "Fine-tune the decomposed model for EPOCHS epochs before saving it (default: ${DEFAULT-VALUE}, none).")
    int finetune;

    @Option(names = "--finetune-lr", paramLabel = "LR", defaultValue = "0.01",
            description = "Initial fine-tuning learning rate, cosine-annealed to 0 (default: ${DEFAULT-VALUE}).")
    double finetuneLr;

    @Option(names = "--momentum", paramLabel = "M", defaultValue = "0.9",
            description = "SGD momentum of --finetune (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--weight-decay", paramLabel = "WD", defaultValue = "5e-4",
            description = "L2 weight decay of --finetune (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--data", paramLabel = "DATA",
            description = "Data for --finetune (default: full Fashion-MNIST if installed, else the bundled sample).")
    String data;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "128", description = "Fine-tuning batch size, and the batch timed by --speed-aware (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--limit-train", paramLabel = "N", defaultValue = "0", description = "Fine-tune on the first N training images (0: all).")
    int limitTrain;

    @Option(names = "--limit-test", paramLabel = "N", defaultValue = "0", description = "Evaluate on the first N test images (0: all).")
    int limitTest;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "0", description = "Compute threads for --finetune and --speed-aware timing (0: the default).")
    int threads;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of the fine-tuning data order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws IOException {
        ranks.validate();
        if (finetune < 0 || batch < 1 || (finetune > 0 && !(finetuneLr > 0))) {
            throw new UserError("--finetune needs epochs >= 0, --finetune-lr > 0 and --batch >= 1");
        }
        if (!(momentum >= 0 && momentum < 1) || !(weightDecay >= 0)) {
            throw new UserError("--momentum must be in [0, 1) and --weight-decay >= 0, got " + momentum + " and "
                    + weightDecay);
        }
        Path source = checkpoint.toAbsolutePath().normalize();
        Path target = (out != null ? out : source.resolveSibling(source.getFileName() + "-decomposed"))
                .toAbsolutePath().normalize();
        if (target.equals(source)) {
            throw new UserError("--out must differ from the checkpoint being decomposed: " + source);
        }
        OutputGuard.checkCheckpointTarget(target, overwrite, "--out");
        try (RunLock _ = OutputGuard.lockParentRun(target, "decompose")) {
            return decompose(source, target);
        }
    }

    private Integer decompose(Path source, Path target) throws IOException {
        Checkpoint ck = CheckpointReader.load(source);
        int[] input = ck.input().chw();
        RankPlanning d;
        DecompositionResult r;
        FineTuning tuned = null;
        try (CpuSession _ = CpuSession.open(threads)) {
            SpeedCheck speed = ranks.speedAware ? new SpeedCheck(ForwardTimer.defaults(), batch,
                    Backends.current().threads(), ranks.speedMargin) : null;
            d = RankPlanning.plan(ck.model(), input, ranks.settings(), "decompose", speed);
            r = Decomposer.apply(ck.model(), d.plan(), d.options());
            if (finetune > 0) {
                try {
                    tuned = FineTuning.run(ck.model(), ck.input(),
                            TrainingRun.cosine(finetune, finetuneLr, momentum, weightDecay), batch, data, limitTrain,
                            limitTest, seed);
                } catch (TrainingStoppedException e) {
                    throw new UserError("phase finetune: " + e.getMessage() + "; nothing was written; last good"
                            + " checkpoint: " + source + " (the model before decomposition)");
                }
            }
        }

        ObjectNode config = Json.object();
        config.put("decomposed_from", source.toString());
        String selector = d.options().selector().describe();
        ObjectNode targetRecord = d.targetRecord("decompose", null);
        config.put("selector", selector);
        config.put("weakening", d.weakening());
        config.put("finetune_epochs", finetune);
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
                        + ": EVBMF strength t = " + d.weakening() + " (t <= 1: MUSCO weakening; t > 1: raised EVBMF threshold)");
            }
            LayerTable.print(o, layers);
            o.println("total: " + LayerTable.totals(r.paramsBefore(), r.paramsAfter(), r.macsBefore(), r.macsAfter()));
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
