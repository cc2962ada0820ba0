package org.rankfold.vbmf.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.datasets.DataSplit;
import org.rankfold.datasets.Dataset;
import org.rankfold.datasets.ValidationSplit;
import org.rankfold.datasets.loader.Augmentation;
import org.rankfold.datasets.loader.DataLoader;
import org.rankfold.datasets.loader.LoaderOptions;
import org.rankfold.datasets.loader.Normalization;
import org.rankfold.engine.accounting.CostProfiler;
import org.rankfold.engine.checkpoint.CheckpointReader;
import org.rankfold.engine.checkpoint.CheckpointWriter;
import org.rankfold.engine.checkpoint.InputShape;
import org.rankfold.engine.checkpoint.Preprocessing;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.nn.Overparameterization;
import org.rankfold.engine.regularize.OrthogonalRegularizer;
import org.rankfold.engine.train.ExtraLoss;
import org.rankfold.engine.train.TrainingRun;
import org.rankfold.engine.train.TrainingState;
import org.rankfold.kernels.Backends;
import org.rankfold.vbmf.audit.AuditJson;
import org.rankfold.vbmf.audit.DecompositionAudit;
import org.rankfold.vbmf.audit.LayerTiming;
import org.rankfold.vbmf.decompose.DecomposerOptions;
import org.rankfold.vbmf.decompose.Decomposer;
import org.rankfold.vbmf.decompose.DecompositionResult;
import org.rankfold.vbmf.decompose.ForwardTimer;
import org.rankfold.vbmf.decompose.LayerTimer;
import org.rankfold.vbmf.decompose.RankPlanning;
import org.rankfold.vbmf.decompose.SpeedCheck;
import org.rankfold.vbmf.decompose.TargetRatioSearch;

/**
 * The compression method end to end (docs/method.md; phases in docs/architecture.md), as phases that each end with their
 * result recorded in {@code progress.json} (so {@code --resume} continues after the last completed one):
 * <ol>
 * <li>{@code baseline}: training of the plain model (a zoo model or an architecture file, {@link ModelSource});</li>
 * <li>per variant ({@link Variant}): {@code V/train} (plain variant: the baseline itself), with
 * over-parameterization ({@link Overparameterization}: function-preserving factors) and/or orthogonal regularization ({@link OrthogonalRegularizer});</li>
 * <li>{@code V/fold}: every factorized conv folded to one kernel (exact);</li>
 * <li>{@code V/ranks}: the rank plan (EVBMF on the unfoldings; with a target ratio, bisection on the
 * weakening factor, {@link TargetRatioSearch});</li>
 * <li>{@code V/tucker}: the recorded plan of {@code V/ranks} applied (Tucker-2 / SVD), one audit record per layer;</li>
 * <li>{@code V/eval_before}: accuracy before fine-tuning;</li>
 * <li>{@code V/finetune}: fine-tuning with its own cosine schedule;</li>
 * <li>{@code V/eval}: final accuracy.</li>
 * </ol>
 * Every variant starts from the same seed and data order and gets the same epochs. Phases that change the
 * model save a checkpoint under {@code checkpoints/}. Each phase's result is a typed {@link PhaseResult};
 * {@link Progress} records them, with the checkpoints' SHA-256, in {@code progress.json}. {@code summary.json} is
 * written at the end. A divergence anywhere stops with a {@link PhaseDivergedException}.
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
    /** The held-out training images (empty: none; per-epoch evaluation is then on the test set). */
    private final Dataset validation;
    private final RunDirectory run;
    private final PipelineListener listener;
    private final InputShape input;
    private final Normalization normalization;
    private final Augmentation augmentation;
    /** The network trained by the baseline and every variant's training phase. */
    private final ModelSource network;
    private Progress progress;
    private boolean resuming;
    /** With --speed-aware: the timings of the run (shared by the variants, restored from progress.json on resume). */
    private SpeedCheck speed;
    private Path reuseFrom;
    private LayerTimer timer = ForwardTimer.defaults();
    private Module current;
    /** The per-epoch evaluation set of training phases: the validation loader, or the test loader without one. */
    private DataLoader perEpoch;
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
        this(config, ModelSource.zoo(config.model()), data, normalization, augmentation, run, listener);
    }

    /**
     * @param network       the network to train (a zoo model or an architecture file); its name must be the
     *                      config's {@code model}, its input the data's
     * @param data          the data as resolved (the config's limits are applied here)
     * @param normalization applied to training and test images
     * @param augmentation  applied to training images
     */
    public CompressionPipeline(CompressionConfig config, ModelSource network, DataSplit data, Normalization normalization,
                               Augmentation augmentation, RunDirectory run, PipelineListener listener) {
        this.config = config;
        Dataset train = config.limitTrain() > 0 && config.limitTrain() < data.train().size()
                ? data.train().head(config.limitTrain()) : data.train();
        Dataset test = config.limitTest() > 0 && config.limitTest() < data.test().size()
                ? data.test().head(config.limitTest()) : data.test();
        int held = config.validation() == CompressionConfig.AUTO_VALIDATION
                ? ValidationSplit.defaultSize(train.size()) : config.validation();
        ValidationSplit split = ValidationSplit.of(train, held, config.seed());
        this.validation = split.validation();
        this.data = new DataSplit(split.train(), test, data.origin());
        this.run = run;
        this.listener = listener;
        this.input = new InputShape(train.channels(), train.height(), train.width(), train.classCount());
        this.normalization = normalization;
        this.augmentation = augmentation;
        if (!network.name().equals(config.model())) {
            throw new IllegalArgumentException("the model '" + network.name() + "' is not the configuration's '" + config.model() + "'");
        }
        network.checkInput(input);
        this.network = network;
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
             DataLoader test = new DataLoader(data.test(), LoaderOptions.evaluation(config.batchSize(), normalization));
             DataLoader val = validation.size() == 0 ? null
                     : new DataLoader(validation, LoaderOptions.evaluation(config.batchSize(), normalization))) {
            perEpoch = val != null ? val : test;
            TestEvaluation.writeNpy(run.root().resolve("predictions").resolve("labels.npy"), data.test().labels());
            currentCheckpoint = null;
            phase("baseline", () -> {
                Module m = network.create(input, config.seed());
                PhaseTraining.Outcome s = train(m, "baseline", config.epochs(), config.learningRate(), train, test, null);
                PhaseResult.Costs c = costs(m);
                return saved(new PhaseResult.Baseline(c, accuracy(m, test, "baseline"), s.state().epochsDone(),
                        s.resumed()), "baseline", m);
            });
            String baselineCheckpoint = progress.get("baseline").checkpoint();
            for (Variant v : config.variants()) {
                runVariant(v, baselineCheckpoint, train, test);
            }
            if (matchedBaseline(config)) {
                runMatchedBaseline(baselineCheckpoint, train, test);
            }
        }
        ObjectNode summary = SummaryBuilder.build(config, data, progress);
        run.writeJson(run.summary(), summary);
        return summary;
    }

    /** Whether the run has the budget-matched baseline phases ({@code baseline/finetune}, {@code baseline/eval}). */
    static boolean matchedBaseline(CompressionConfig config) {
        return config.matchedBaseline() && config.finetuneEpochs() > 0;
    }

    /**
     * The budget-matched baseline: the dense baseline fine-tuned with exactly the fine-tuning of the variants (same
     * epochs, learning rate, cosine schedule, data order), so a variant's difference to it is not extra training.
     */
    private void runMatchedBaseline(String baselineCheckpoint, DataLoader train, DataLoader test) throws IOException {
        current = null;
        currentCheckpoint = baselineCheckpoint;
        phase("baseline/finetune", () -> {
            Module m = model();
            PhaseTraining.Outcome s = train(m, "baseline/finetune", config.finetuneEpochs(), config.finetuneLr(), train,
                    test, null);
            return saved(new PhaseResult.FineTuned(false, s.state().epochsDone(), s.resumed()), "baseline/finetune", m);
        });
        phase("baseline/eval", () -> {
            Module m = model();
            return new Done(new PhaseResult.Evaluated(costs(m), accuracy(m, test, "baseline/eval")), null);
        });
    }

    private void runVariant(Variant v, String baselineCheckpoint, DataLoader train, DataLoader test) throws IOException {
        String p = v.label() + "/";
        current = null;
        currentCheckpoint = baselineCheckpoint;
        if (v != Variant.PLAIN) {
            phase(p + "train", () -> {
                Module m = network.create(input, config.seed());
                PhaseResult.Overparam over = null;
                if (v == Variant.ORTHO) {
                    // the same factor matrices as full, regularized alike, without the expansion: the factorized form
                    // at full rank (R_in = C, R_out = S), function-preserving from the same initial weights
                    List<String> layers = Overparameterization.apply(m, new Overparameterization.Options(
                            OverparamMode.FACTORIZED.engineMode(), 1, config.pointwise(), config.first()),
                            new SplittableRandom(config.seed() + FACTOR_SEED_OFFSET));
                    over = new PhaseResult.Overparam(OverparamMode.FACTORIZED.label(), 1, layers);
                } else if (v.overparameterized()) {
                    List<String> layers = Overparameterization.apply(m, new Overparameterization.Options(
                            config.overparam().engineMode(), config.expand(), config.pointwise(), config.first()),
                            new SplittableRandom(config.seed() + FACTOR_SEED_OFFSET));
                    over = new PhaseResult.Overparam(config.overparam().label(), config.overparam().factor(config.expand()),
                            layers);
                }
                OrthogonalRegularizer ortho = null;
                PhaseResult.Ortho orthoRecord = null;
                if (v.orthogonal()) {
                    boolean plainWeights = config.orthoPlain();
                    ortho = regularizer().plainWeights(plainWeights);
                    orthoRecord = new PhaseResult.Ortho(config.ortho(), config.orthoLambda(), config.orthoDecay(),
                            plainWeights, OrthogonalRegularizer.targets(m, plainWeights).size());
                }
                PhaseTraining.Outcome s = train(m, p + "train", config.epochs(), config.learningRate(), train, test, ortho);
                PhaseResult.Costs c = costs(m);
                return saved(new PhaseResult.Trained(over, orthoRecord, s.resumed(), c, accuracy(m, test, p + "train")),
                        p + "train", m);
            });
            phase(p + "fold", () -> {
                Module m = model();
                List<String> folded = Overparameterization.foldAll(m);
                PhaseResult.Folded r = new PhaseResult.Folded(costs(m), folded);
                return folded.isEmpty() ? new Done(r, null) : saved(r, p + "fold", m);
            });
        }
        phase(p + "ranks", () -> {
            RankPlanning planning = RankPlanning.plan(model(), input.chw(), config.rankSettings(), p + "tucker", speed);
            ObjectNode target = planning.targetRecord(p + "ranks", v.label());
            if (target != null) {
                run.appendAudit(target);
            }
            Map<String, LayerTiming> timings = speed == null ? null : new LinkedHashMap<>(speed.known());
            return new Done(new PhaseResult.RankPlan(planning.search() == null ? null : planning.search().met(),
                    planning.weakening(), timings, planning.plan()), null);
        });
        phase(p + "tucker", () -> {
            Module m = model();
            // the plan of the rank phase, as recorded: a resumed run applies the same decisions
            PhaseResult.RankPlan plan = (PhaseResult.RankPlan) progress.get(p + "ranks").result();
            DecomposerOptions o = config.rankSettings().options(plan.weakening(), p + "tucker", speed);
            DecompositionResult d = Decomposer.apply(m, plan.plan(), o);
            for (DecompositionAudit a : d.layers()) {
                ObjectNode rec = AuditJson.toJson(a);
                rec.put("variant", v.label());
                rec.put("selector", o.selector().describe());
                run.appendAudit(rec);
            }
            return saved(new PhaseResult.Decomposed(costs(m), d.decomposedCount(), LayerSummary.of(d.layers())),
                    p + "tucker", m);
        });
        phase(p + "eval_before", () -> new Done(new PhaseResult.Accuracy(accuracy(model(), test, p + "eval_before")), null));
        phase(p + "finetune", () -> {
            Module m = model();
            // optionally keep the orthogonal penalty on the new factors (A = U1^T, B = U0 start orthonormal)
            OrthogonalRegularizer ortho = v.orthogonal() && config.orthoFinetune() ? regularizer().plainWeights(false) : null;
            PhaseTraining.Outcome s = train(m, p + "finetune", config.finetuneEpochs(), config.finetuneLr(), train, test,
                    ortho);
            return saved(new PhaseResult.FineTuned(ortho != null, s.state().epochsDone(), s.resumed()), p + "finetune", m);
        });
        phase(p + "eval", () -> {
            Module m = model();
            PhaseResult.Costs c = costs(m);
            return new Done(new PhaseResult.Evaluated(c, accuracy(m, test, p + "eval")), null);
        });
    }

    /** The run's orthogonal regularizer (kind, lambda, decay); the caller chooses its targets. */
    private OrthogonalRegularizer regularizer() {
        return OrthogonalRegularizer.parse(config.ortho()).weighted(config.orthoLambda(), config.orthoDecay());
    }

    private PhaseTraining.Outcome train(Module m, String phase, int epochs, double lr, DataLoader train, DataLoader test,
                                        ExtraLoss extra) throws IOException {
        TrainingRun settings = TrainingRun.cosine(epochs, lr, config.momentum(), config.weightDecay()).withExtraLoss(extra);
        return PhaseTraining.train(m, phase, settings, config, input, train, perEpoch,
                perEpoch == test ? "test" : "validation", run, listener, resuming, lastGoodCheckpoint());
    }

    /** The newest checkpoint the current variant's phases stand on (null before the baseline saved one). */
    private Path lastGoodCheckpoint() {
        return currentCheckpoint == null ? null : run.root().resolve(currentCheckpoint);
    }

    /**
     * Test accuracy of {@code m}, its final model's one evaluation on the test set; the predicted class of every
     * test image goes to {@code predictions/PHASE.npy} (for the sweep's paired statistics). A non-finite loss (NaN
     * or infinite outputs) stops the phase naming the last good checkpoint.
     */
    private double accuracy(Module m, DataLoader test, String phase) throws IOException {
        TestEvaluation e = TestEvaluation.evaluate(m, test);
        if (!Double.isFinite(e.loss())) {
            throw new PhaseDivergedException(phase, "the evaluation on the test images gave a non-finite loss ("
                    + e.loss() + ")", lastGoodCheckpoint(), null);
        }
        TestEvaluation.writeNpy(run.predictions(phase), e.predictions());
        return e.accuracy();
    }

    /**
     * {@code s} with the timings the completed rank phases decided on (a rank phase of a later variant, and the
     * plan it records, must see the same timings as an uninterrupted run).
     */
    private SpeedCheck rememberedTimings(SpeedCheck s) {
        for (CompletedPhase c : progress.completed().values()) {
            if (c.result() instanceof PhaseResult.RankPlan r && r.speedTimings() != null) {
                r.speedTimings().forEach(s::remember);
            }
        }
        return s;
    }

    /** The current variant's model: in memory, or loaded from the latest checkpoint (after a resume). */
    private Module model() throws IOException {
        if (current == null) {
            current = CheckpointReader.load(run.root().resolve(currentCheckpoint)).model();
        }
        return current;
    }

    private PhaseResult.Costs costs(Module m) {
        return PhaseResult.Costs.of(CostProfiler.profile(m, input.chw()));
    }

    /** A phase's result and the run-relative checkpoint it saved (null: none). */
    private record Done(PhaseResult result, String checkpoint) {
    }

    private Done saved(PhaseResult result, String phase, Module m) throws IOException {
        CheckpointWriter.save(run.checkpoint(phase), m, config.model(), input, TrainingState.initial(), null, null,
                config.toJson(), new Preprocessing(normalization.mean(), normalization.std(), data.train().classNames()));
        String rel = run.root().relativize(run.checkpoint(phase)).toString();
        current = m;
        currentCheckpoint = rel;
        return new Done(result, rel);
    }

    /**
     * The audit line of a finished phase: its result (accuracy, params, MACs, checkpoint, settings, wall time)
     * without the per-layer lists, which have records of their own, and without the checkpoint digest.
     */
    private static ObjectNode phaseRecord(String name, ObjectNode result) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("phase", name);
        o.put("step", "phase_end");
        for (Map.Entry<String, JsonNode> e : result.properties()) {
            if (!CompletedPhase.NOT_IN_AUDIT.contains(e.getKey())) {
                o.set(e.getKey(), e.getValue());
            }
        }
        return o;
    }

    /** A phase body: returns the phase's result. */
    @FunctionalInterface
    private interface Body {
        Done run() throws IOException;
    }

    /**
     * Runs phase {@code name} unless it is recorded as completed. Its audit records are appended before its entry
     * is recorded in progress.json ({@link Progress}: a resume cuts the audit back to the recorded phases).
     */
    private void phase(String name, Body body) throws IOException {
        CompletedPhase done = progress.get(name);
        if (done != null) {
            if (done.checkpoint() != null) {
                currentCheckpoint = done.checkpoint();
                current = null;
            }
            // a kill between writing progress.json and the discard below leaves the stale partial behind
            PhaseTraining.discard(run, name);
            listener.phaseSkipped(name);
            return;
        }
        listener.phaseStarted(name);
        long t0 = System.nanoTime();
        Done d = body.run();
        double wall = (System.nanoTime() - t0) * 1e-9;
        String digest = d.checkpoint() == null ? null : RunIntegrity.checkpointDigest(run.root().resolve(d.checkpoint()));
        CompletedPhase c = new CompletedPhase(name, d.result(), d.checkpoint(), digest, wall, null);
        ObjectNode json = c.toJson();
        run.appendAudit(phaseRecord(name, json));
        progress.add(c);
        progress.write(run);
        PhaseTraining.discard(run, name);
        listener.phaseFinished(name, json);
    }

    private void prepare(boolean resume) throws IOException {
        resuming = resume;
        ObjectNode cfg = config.toJson();
        ObjectNode d = cfg.putObject("data");
        d.put("dataset", data.origin());
        d.put("train_images", data.train().size());
        d.put("test_images", data.test().size());
        if (validation.size() > 0) {
            // written only with a split, so config.json of runs from before it still matches with --val-split 0
            ObjectNode val = cfg.putObject("validation");
            val.put("images", validation.size());
            val.put("seed", config.seed());
            val.put("method", "the first images of a Fisher-Yates shuffle of the training set by SplittableRandom(seed)");
        }
        network.record(cfg);
        if (reuseFrom != null) {
            cfg.put("reuse_training", reuseFrom.toString());
        }
        progress = null;
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
            progress = Progress.resume(run, config.variants(), matchedBaseline(config));
        } else if (!resume && Files.exists(run.progress())) {
            throw new IllegalArgumentException(run.root() + " already holds a run; pass --resume to continue it or "
                    + "choose another --out");
        }
        if (progress == null) {
            progress = Progress.fresh(run);
        }
        network.copyInto(run);
        run.writeJson(run.config(), cfg);
        if (reuseFrom != null && progress.isEmpty()) {
            run.appendAudit(TrainingReuse.copy(reuseFrom, cfg, config.variants(), run, progress));
            progress.write(run);
        }
    }
}
