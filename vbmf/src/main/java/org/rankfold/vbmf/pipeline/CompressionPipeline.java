package org.rankfold.vbmf.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.datasets.DataSplit;
import org.rankfold.datasets.Dataset;
import org.rankfold.datasets.loader.Augmentation;
import org.rankfold.datasets.loader.DataLoader;
import org.rankfold.datasets.loader.LoaderOptions;
import org.rankfold.datasets.loader.Normalization;
import org.rankfold.engine.accounting.CostProfiler;
import org.rankfold.engine.accounting.CostReport;
import org.rankfold.engine.checkpoint.CheckpointReader;
import org.rankfold.engine.checkpoint.CheckpointWriter;
import org.rankfold.engine.checkpoint.InputShape;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.nn.Overparameterization;
import org.rankfold.engine.regularize.OrthogonalRegularizer;
import org.rankfold.engine.train.Evaluator;
import org.rankfold.engine.train.ExtraLoss;
import org.rankfold.engine.train.TrainingState;
import org.rankfold.engine.zoo.ModelZoo;
import org.rankfold.kernels.Backends;
import org.rankfold.vbmf.audit.AuditJson;
import org.rankfold.vbmf.audit.DecompositionAudit;
import org.rankfold.vbmf.decompose.DecomposerOptions;
import org.rankfold.vbmf.decompose.Decomposer;
import org.rankfold.vbmf.decompose.DecompositionPlan;
import org.rankfold.vbmf.decompose.DecompositionPlanner;
import org.rankfold.vbmf.decompose.DecompositionResult;
import org.rankfold.vbmf.decompose.EvbmfStrengthSelector;
import org.rankfold.vbmf.decompose.ForwardTimer;
import org.rankfold.vbmf.decompose.LayerTimer;
import org.rankfold.vbmf.decompose.SelectorSpec;
import org.rankfold.vbmf.decompose.SpeedCheck;
import org.rankfold.vbmf.decompose.TargetRatioSearch;
import org.rankfold.vbmf.tucker.Tucker2Options;

/**
 * The compression method end to end (docs/method.md; phases in docs/architecture.md), as phases that each end with their
 * result recorded in {@code progress.json} (so {@code --resume} continues after the last completed one):
 * <ol>
 * <li>{@code baseline}: training of the plain zoo model;</li>
 * <li>per variant ({@link Variant}): {@code V/train} (plain variant: the baseline itself), with
 * over-parameterization ({@link Overparameterization}: function-preserving factors) and/or orthogonal regularization ({@link OrthoLoss});</li>
 * <li>{@code V/fold}: every factorized conv folded to one kernel (exact);</li>
 * <li>{@code V/ranks}: the rank plan (EVBMF on the unfoldings; with a target ratio, bisection on the
 * weakening factor, {@link TargetRatioSearch});</li>
 * <li>{@code V/tucker}: Tucker-2 / SVD applied, one audit record per layer;</li>
 * <li>{@code V/eval_before}: accuracy before fine-tuning;</li>
 * <li>{@code V/finetune}: fine-tuning with its own cosine schedule;</li>
 * <li>{@code V/eval}: final accuracy.</li>
 * </ol>
 * Every variant starts from the same seed and data order and gets the same epochs. Phases that change the
 * model save a checkpoint under {@code checkpoints/}. {@code summary.json} is written at the end.
 *
 * <p>Resume: a completed phase is skipped; a training phase killed in the middle continues after its last
 * completed epoch ({@link PhaseTraining}), bit-identical at the same thread count. {@link #reuseTraining}
 * starts from another run's trained phases ({@link TrainingReuse}). With {@code speedAware} the rank plan
 * also requires each decomposed layer to be measured faster ({@link SpeedCheck}); the timings are kept in
 * the rank phase's result so a resumed run applies the same decisions.
 */
public final class CompressionPipeline {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Offset of the factor-initialization seed from the run seed (same for every over-parameterized variant). */
    private static final long FACTOR_SEED_OFFSET = 0x0F4C7L;

    private final CompressionConfig config;
    private final DataSplit data;
    private final RunDirectory run;
    private final PipelineListener listener;
    private final InputShape input;
    private final Normalization normalization;
    private final Augmentation augmentation;
    private ObjectNode completed;
    private boolean resuming;
    /** With --speed-aware: the timings of the run (shared by the variants, restored from progress.json on resume). */
    private SpeedCheck speed;
    private Path reuseFrom;
    private LayerTimer timer = ForwardTimer.defaults();
    private Module current;
    private String currentCheckpoint;

    /**
     * With the normalization of the data's channel count (Fashion-MNIST's for 1 channel, CIFAR-10's for 3) and no
     * augmentation.
     *
     * @param data the data as resolved (the config's limits are applied here)
     */
    public CompressionPipeline(CompressionConfig config, DataSplit data, RunDirectory run, PipelineListener listener) {
        this(config, data, data.train().channels() == 1 ? Normalization.FASHION_MNIST
                : data.train().channels() == 3 ? Normalization.CIFAR10 : Normalization.identity(data.train().channels()),
                Augmentation.NONE, run, listener);
    }

    /**
     * @param data          the data as resolved (the config's limits are applied here)
     * @param normalization applied to training and test images
     * @param augmentation  applied to training images
     */
    public CompressionPipeline(CompressionConfig config, DataSplit data, Normalization normalization,
                               Augmentation augmentation, RunDirectory run, PipelineListener listener) {
        this.config = config;
        Dataset train = config.limitTrain() > 0 && config.limitTrain() < data.train().size()
                ? data.train().head(config.limitTrain()) : data.train();
        Dataset test = config.limitTest() > 0 && config.limitTest() < data.test().size()
                ? data.test().head(config.limitTest()) : data.test();
        this.data = new DataSplit(train, test, data.origin());
        this.run = run;
        this.listener = listener;
        this.input = new InputShape(train.channels(), train.height(), train.width(), train.classCount());
        this.normalization = normalization;
        this.augmentation = augmentation;
        if (!ModelZoo.names().contains(config.model().toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("unknown model '" + config.model() + "'; known: "
                    + String.join(", ", ModelZoo.names()));
        }
    }

    /**
     * Starts this run from the completed training phases of the run in {@code source} ({@link TrainingReuse}:
     * the settings that define training must be equal); recorded in config.json as {@code reuse_training}.
     * Has an effect only when this run has no completed phase yet.
     */
    public CompressionPipeline reuseTraining(Path source) {
        this.reuseFrom = source == null ? null : source.toAbsolutePath().normalize();
        return this;
    }

    /** The timer of {@code --speed-aware} (default: {@link ForwardTimer#defaults()}); tests inject a deterministic one. */
    CompressionPipeline timer(LayerTimer t) {
        this.timer = t;
        return this;
    }

    /** Runs (or, with {@code resume}, continues) every phase; returns the summary also written to summary.json. */
    public ObjectNode run(boolean resume) throws IOException {
        prepare(resume);
        speed = config.speedAware() ? rememberedTimings(new SpeedCheck(timer, config.batchSize(),
                Backends.current().threads(), config.speedMargin())) : null;
        try (DataLoader train = new DataLoader(data.train(),
                LoaderOptions.training(config.batchSize(), config.seed(), normalization).withAugmentation(augmentation));
             DataLoader test = new DataLoader(data.test(), LoaderOptions.evaluation(config.batchSize(), normalization))) {
            phase("baseline", () -> {
                Module m = input.createZooModel(config.model(), config.seed());
                PhaseTraining.Outcome s = train(m, "baseline", config.epochs(), config.learningRate(), train, test, null);
                ObjectNode r = costs(m);
                r.put("accuracy", Evaluator.evaluate(m, test).accuracy());
                r.put("epochs", s.state().epochsDone());
                s.record(r);
                return save(r, "baseline", m);
            });
            String baselineCheckpoint = completed.get("baseline").get("checkpoint").asText();
            for (Variant v : config.variants()) {
                runVariant(v, baselineCheckpoint, train, test);
            }
        }
        ObjectNode summary = SummaryBuilder.build(config, data, completed);
        run.writeJson(run.summary(), summary);
        return summary;
    }

    private void runVariant(Variant v, String baselineCheckpoint, DataLoader train, DataLoader test) throws IOException {
        String p = v.label() + "/";
        current = null;
        currentCheckpoint = baselineCheckpoint;
        if (v != Variant.PLAIN) {
            phase(p + "train", () -> {
                Module m = input.createZooModel(config.model(), config.seed());
                ObjectNode r = MAPPER.createObjectNode();
                if (v.overparameterized()) {
                    List<String> layers = Overparameterization.apply(m, new Overparameterization.Options(
                            config.overparam().engineMode(), config.expand(), config.pointwise(), config.first()),
                            new SplittableRandom(config.seed() + FACTOR_SEED_OFFSET));
                    r.put("overparam", config.overparam().label());
                    r.put("expand", config.overparam().factor(config.expand()));
                    ArrayNode names = r.putArray("overparameterized_layers");
                    layers.forEach(names::add);
                }
                ExtraLoss ortho = null;
                if (v.orthogonal()) {
                    boolean plainWeights = v == Variant.ORTHO || config.orthoPlain();
                    ortho = new OrthoLoss(OrthogonalRegularizer.parse(config.ortho()), config.orthoLambda(),
                            config.orthoDecay(), plainWeights);
                    r.put("ortho", config.ortho());
                    r.put("ortho_lambda", config.orthoLambda());
                    r.put("ortho_decay", config.orthoDecay());
                    r.put("ortho_plain_weights", plainWeights);
                    r.put("ortho_weights", OrthoLoss.targets(m, plainWeights).size());
                }
                PhaseTraining.Outcome s = train(m, p + "train", config.epochs(), config.learningRate(), train, test, ortho);
                s.record(r);
                r.setAll(costs(m));
                r.put("accuracy", Evaluator.evaluate(m, test).accuracy());
                return save(r, p + "train", m);
            });
            phase(p + "fold", () -> {
                Module m = model();
                List<String> folded = Overparameterization.foldAll(m);
                ObjectNode r = costs(m);
                ArrayNode names = r.putArray("folded_layers");
                folded.forEach(names::add);
                return folded.isEmpty() ? r : save(r, p + "fold", m);
            });
        }
        phase(p + "ranks", () -> {
            ObjectNode r = MAPPER.createObjectNode();
            Module m = model();
            double w = config.weakening();
            DecompositionPlan plan;
            TargetRatioSearch.Measure measure = config.targetParamsRatio() > 0 ? TargetRatioSearch.Measure.PARAMS
                    : config.targetMacsRatio() > 0 ? TargetRatioSearch.Measure.MACS : null;
            if (measure != null) {
                TargetRatioSearch.Result t = TargetRatioSearch.search(m, input.chw(), decomposerOptions(v, w),
                        x -> EvbmfStrengthSelector.at(x, config.minRank(), config.maxRank()), measure,
                        measure == TargetRatioSearch.Measure.PARAMS ? config.targetParamsRatio() : config.targetMacsRatio(),
                        EvbmfStrengthSelector.MAX_STRENGTH);
                w = t.weakening();
                plan = t.plan();
                run.appendAudit(targetRecord(v, t));
                r.put("target_met", t.met());
            } else {
                plan = DecompositionPlanner.plan(m, input.chw(), decomposerOptions(v, w));
            }
            r.put("weakening", w);
            if (speed != null) {
                ObjectNode timings = r.putObject("speed_timings");
                speed.known().forEach((k, t) -> timings.set(k, AuditJson.toJson(t)));
            }
            r.put("planned_params_ratio", plan.paramsRatio());
            r.put("planned_macs_ratio", plan.macsRatio());
            ArrayNode layers = r.putArray("ranks");
            plan.layers().forEach(l -> {
                ObjectNode o = layers.addObject();
                o.put("name", l.name());
                o.put("method", l.method().label());
                o.set("ranks", AuditJson.ints(l.ranks()));
                if (l.timing() != null) {
                    o.set("speed", AuditJson.toJson(l.timing()));
                }
            });
            return r;
        });
        phase(p + "tucker", () -> {
            Module m = model();
            double w = completed.get(p + "ranks").get("weakening").asDouble();
            DecomposerOptions o = decomposerOptions(v, w);
            DecompositionResult d = Decomposer.decompose(m, input.chw(), o);
            for (DecompositionAudit a : d.layers()) {
                ObjectNode rec = AuditJson.toJson(a);
                rec.put("variant", v.label());
                rec.put("selector", o.selector().describe());
                run.appendAudit(rec);
            }
            ObjectNode r = costs(m);
            r.put("decomposed_layers", d.decomposedCount());
            r.set("layers", LayerSummary.of(d.layers()));
            return save(r, p + "tucker", m);
        });
        phase(p + "eval_before", () -> {
            ObjectNode r = MAPPER.createObjectNode();
            r.put("accuracy", Evaluator.evaluate(model(), test).accuracy());
            return r;
        });
        phase(p + "finetune", () -> {
            Module m = model();
            // optionally keep the orthogonal penalty on the new factors (A = U1^T, B = U0 start orthonormal)
            ExtraLoss ortho = v.orthogonal() && config.orthoFinetune() ? new OrthoLoss(
                    OrthogonalRegularizer.parse(config.ortho()), config.orthoLambda(), config.orthoDecay(), false) : null;
            PhaseTraining.Outcome s = train(m, p + "finetune", config.finetuneEpochs(), config.finetuneLr(), train, test,
                    ortho);
            ObjectNode r = MAPPER.createObjectNode();
            r.put("ortho_on_factors", ortho != null);
            r.put("epochs", s.state().epochsDone());
            s.record(r);
            return save(r, p + "finetune", m);
        });
        phase(p + "eval", () -> {
            Module m = model();
            ObjectNode r = costs(m);
            r.put("accuracy", Evaluator.evaluate(m, test).accuracy());
            return r;
        });
    }

    private PhaseTraining.Outcome train(Module m, String phase, int epochs, double lr, DataLoader train, DataLoader test,
                                        ExtraLoss extra) throws IOException {
        return PhaseTraining.train(m, phase, epochs, lr, config, input, train, test, extra, run, listener, resuming);
    }

    private DecomposerOptions decomposerOptions(Variant v, double weakening) {
        // a target search may go beyond plain EVBMF (strength > 1, EvbmfStrengthSelector)
        return new DecomposerOptions(SelectorSpec.isEvbmf(config.selector())
                ? EvbmfStrengthSelector.at(weakening, config.minRank(), config.maxRank())
                : SelectorSpec.parse(config.selector(), weakening, config.minRank(), config.maxRank()),
                Tucker2Options.tensorly(), config.pointwise(), config.linear(), config.first(), config.classifier(), v.label() + "/tucker", speed);
    }

    /**
     * {@code s} with the timings the completed rank phases decided on (a resumed tucker phase must apply the same
     * decisions; timing again could flip one).
     */
    private SpeedCheck rememberedTimings(SpeedCheck s) {
        for (Map.Entry<String, JsonNode> e : completed.properties()) {
            JsonNode t = e.getValue().get("speed_timings");
            if (e.getKey().endsWith("/ranks") && t != null) {
                t.properties().forEach(k -> s.remember(k.getKey(), AuditJson.timing(k.getValue())));
            }
        }
        return s;
    }

    private ObjectNode targetRecord(Variant v, TargetRatioSearch.Result t) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("phase", v.label() + "/ranks");
        o.put("variant", v.label());
        o.put("step", "target_search");
        o.put("measure", t.measure().name().toLowerCase(java.util.Locale.ROOT));
        o.put("target", t.target());
        o.put("weakening", t.weakening());
        o.put("met", t.met());
        o.put("params_ratio", t.plan().paramsRatio());
        o.put("macs_ratio", t.plan().macsRatio());
        ArrayNode steps = o.putArray("steps");
        for (TargetRatioSearch.Step s : t.steps()) {
            steps.addObject().put("weakening", s.weakening()).put("params_ratio", s.paramsRatio())
                    .put("macs_ratio", s.macsRatio());
        }
        return o;
    }

    /** The current variant's model: in memory, or loaded from the latest checkpoint (after a resume). */
    private Module model() throws IOException {
        if (current == null) {
            current = CheckpointReader.load(run.root().resolve(currentCheckpoint)).model();
        }
        return current;
    }

    private ObjectNode costs(Module m) {
        CostReport c = CostProfiler.profile(m, input.chw());
        ObjectNode o = MAPPER.createObjectNode();
        o.put("params", c.parameters());
        o.put("macs", c.macs());
        o.put("batchnorm_params", c.batchNormParameters());
        return o;
    }

    private ObjectNode save(ObjectNode result, String phase, Module m) throws IOException {
        CheckpointWriter.save(run.checkpoint(phase), m, config.model(), input, TrainingState.initial(), null, null,
                config.toJson());
        String rel = run.root().relativize(run.checkpoint(phase)).toString();
        result.put("checkpoint", rel);
        current = m;
        currentCheckpoint = rel;
        return result;
    }

    /**
     * The audit line of a finished phase: its result (accuracy, params, MACs, checkpoint, settings, wall time)
     * without the per-layer lists, which have records of their own.
     */
    private static ObjectNode phaseRecord(String name, ObjectNode result) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("phase", name);
        o.put("step", "phase_end");
        for (Map.Entry<String, JsonNode> e : result.properties()) {
            if (!e.getKey().equals("layers") && !e.getKey().equals("ranks")) {
                o.set(e.getKey(), e.getValue());
            }
        }
        return o;
    }

    /** A phase body: returns the phase's result. */
    @FunctionalInterface
    private interface Body {
        ObjectNode run() throws IOException;
    }

    private void phase(String name, Body body) throws IOException {
        JsonNode done = completed.get(name);
        if (done != null) {
            if (done.has("checkpoint")) {
                currentCheckpoint = done.get("checkpoint").asText();
                current = null;
            }
            // a kill between writing progress.json and the discard below leaves the stale partial behind
            PhaseTraining.discard(run, name);
            listener.phaseSkipped(name);
            return;
        }
        listener.phaseStarted(name);
        long t0 = System.nanoTime();
        ObjectNode r = body.run();
        r.put("wall_seconds", (System.nanoTime() - t0) * 1e-9);
        completed.set(name, r);
        run.appendAudit(phaseRecord(name, r));
        ObjectNode progress = MAPPER.createObjectNode();
        progress.set("completed", completed);
        run.writeJson(run.progress(), progress);
        PhaseTraining.discard(run, name);
        listener.phaseFinished(name, r);
    }

    private void prepare(boolean resume) throws IOException {
        resuming = resume;
        ObjectNode cfg = config.toJson();
        ObjectNode d = cfg.putObject("data");
        d.put("dataset", data.origin());
        d.put("train_images", data.train().size());
        d.put("test_images", data.test().size());
        if (reuseFrom != null) {
            cfg.put("reuse_training", reuseFrom.toString());
        }
        completed = MAPPER.createObjectNode();
        if (resume && Files.exists(run.config())) {
            JsonNode old = RunDirectory.readJson(run.config());
            if (reuseFrom == null && old.has("reuse_training")) {
                // the trained phases were copied when the run started; a resume need not name their source again
                cfg.set("reuse_training", old.get("reuse_training"));
                reuseFrom = Path.of(old.get("reuse_training").asText());
            }
            // compare as parsed text: a long written by us reads back as an int node
            JsonNode now = RunDirectory.parse(cfg.toString());
            if (!old.equals(now)) {
                List<String> differ = new java.util.ArrayList<>();
                java.util.Set<String> names = new java.util.TreeSet<>();
                old.fieldNames().forEachRemaining(names::add);
                now.fieldNames().forEachRemaining(names::add);
                for (String f : names) {
                    if (!old.path(f).equals(now.path(f))) {
                        differ.add(f + " (" + old.path(f) + " there, " + now.path(f) + " now)");
                    }
                }
                throw new IllegalArgumentException("--resume: " + run.config() + " holds a different configuration: "
                        + String.join("; ", differ) + "; resume with the same options or use another --out");
            }
            if (Files.exists(run.progress())) {
                JsonNode p = RunDirectory.readJson(run.progress()).get("completed");
                if (p instanceof ObjectNode o) {
                    completed = o;
                }
            }
        } else if (!resume && Files.exists(run.progress())) {
            throw new IllegalArgumentException(run.root() + " already holds a run; pass --resume to continue it or "
                    + "choose another --out");
        }
        run.writeJson(run.config(), cfg);
        if (reuseFrom != null && completed.isEmpty()) {
            run.appendAudit(TrainingReuse.copy(reuseFrom, cfg, config.variants(), run, completed));
            ObjectNode progress = MAPPER.createObjectNode();
            progress.set("completed", completed);
            run.writeJson(run.progress(), progress);
        }
    }
}
