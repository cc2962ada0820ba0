package org.rankfold.vbmf.pipeline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.datasets.MalformedFileException;
import org.rankfold.engine.accounting.CostReport;
import org.rankfold.vbmf.audit.AuditJson;
import org.rankfold.vbmf.audit.LayerTiming;
import org.rankfold.vbmf.decompose.DecompositionPlan;
import org.rankfold.vbmf.decompose.LayerPlan;

/**
 * The typed result of one pipeline phase, as recorded in {@code progress.json} and read back on
 * {@code --resume}: each writes its own fields ({@link #write}) and reads them validated ({@link #read}); the
 * envelope (checkpoint, its digest, wall time) is {@link CompletedPhase}'s. Field names and order are the
 * file format (docs/file-formats.md).
 */
sealed interface PhaseResult {

    /** Writes this result's fields into {@code o} (in the format's order). */
    void write(ObjectNode o);

    /** The kind of phase a name denotes: "baseline", or the part after "V/" ("train", "ranks", ...). */
    static String kind(String phase) {
        int slash = phase.indexOf('/');
        return slash < 0 ? phase : phase.substring(slash + 1);
    }

    /** Reads the result of {@code phase} from its fields. */
    static PhaseResult read(String phase, RecordFields f) throws MalformedFileException {
        return switch (kind(phase)) {
            case "baseline" -> new Baseline(Costs.read(f), f.fraction("accuracy"), f.smallCount("epochs", 1 << 20),
                    Resumed.read(f));
            case "train" -> new Trained(f.has("overparam") ? Overparam.read(f) : null,
                    f.has("ortho") ? Ortho.read(f) : null, Resumed.read(f), Costs.read(f), f.fraction("accuracy"));
            case "fold" -> new Folded(Costs.read(f), f.texts("folded_layers"));
            case "ranks" -> RankPlan.read(f);
            case "tucker" -> new Decomposed(Costs.read(f), f.count("decomposed_layers"), layers(f));
            case "eval_before" -> new Accuracy(f.fraction("accuracy"));
            case "finetune" -> new FineTuned(f.bool("ortho_on_factors"), f.smallCount("epochs", 1 << 20), Resumed.read(f));
            case "eval" -> new Evaluated(Costs.read(f), f.fraction("accuracy"));
            default -> throw new MalformedFileException(f.file().toString(), -1, f.path() + ": no such phase");
        };
    }

    /** The per-layer rows of the tucker phase ({@link LayerSummary}), each an object with a name and decomposition. */
    private static ArrayNode layers(RecordFields f) throws MalformedFileException {
        for (RecordFields row : f.objects("layers")) {
            row.text("name");
            row.text("decomposition");
        }
        return f.array("layers");
    }

    /** Params, MACs per image and BatchNorm params of the model at the end of a phase. */
    record Costs(long params, long macs, long batchnormParams) {
        static Costs of(CostReport c) {
            return new Costs(c.parameters(), c.macs(), c.batchNormParameters());
        }

        void write(ObjectNode o) {
            o.put("params", params);
            o.put("macs", macs);
            o.put("batchnorm_params", batchnormParams);
        }

        static Costs read(RecordFields f) throws MalformedFileException {
            return new Costs(f.count("params"), f.count("macs"), f.count("batchnorm_params"));
        }
    }

    /**
     * How a training phase began: after {@code afterEpoch} epochs of an interrupted run (0: afresh), which ran at
     * {@code fromThreads} threads (bit-identity needs the same count; 0 when not resumed).
     */
    record Resumed(int afterEpoch, int fromThreads) {
        void write(ObjectNode o) {
            o.put("resumed_after_epoch", afterEpoch);
            if (afterEpoch > 0) {
                o.put("resumed_from_threads", fromThreads);
            }
        }

        static Resumed read(RecordFields f) throws MalformedFileException {
            int after = f.smallCount("resumed_after_epoch", 1 << 20);
            return new Resumed(after, after > 0 ? f.smallCount("resumed_from_threads", 1024) : 0);
        }
    }

    /** {@code baseline}: the plain zoo model trained. */
    record Baseline(Costs costs, double accuracy, int epochs, Resumed resumed) implements PhaseResult {
        @Override
        public void write(ObjectNode o) {
            costs.write(o);
            o.put("accuracy", accuracy);
            o.put("epochs", epochs);
            resumed.write(o);
        }
    }

    /** The over-parameterization of a variant: mode label, expansion factor, the layers that got factors. */
    record Overparam(String mode, double expand, List<String> layers) {
        static Overparam read(RecordFields f) throws MalformedFileException {
            return new Overparam(f.text("overparam"), f.nonNegative("expand"), f.texts("overparameterized_layers"));
        }
    }

    /** The orthogonal regularization of a variant's training. */
    record Ortho(String kind, double lambda, double decay, boolean plainWeights, int weights) {
        static Ortho read(RecordFields f) throws MalformedFileException {
            return new Ortho(f.text("ortho"), f.nonNegative("ortho_lambda"), f.nonNegative("ortho_decay"),
                    f.bool("ortho_plain_weights"), f.smallCount("ortho_weights", Integer.MAX_VALUE));
        }
    }

    /** {@code V/train}: a variant trained (over-parameterized and/or regularized). */
    record Trained(Overparam overparam, Ortho ortho, Resumed resumed, Costs costs, double accuracy) implements PhaseResult {
        @Override
        public void write(ObjectNode o) {
            if (overparam != null) {
                o.put("overparam", overparam.mode());
                o.put("expand", overparam.expand());
                ArrayNode names = o.putArray("overparameterized_layers");
                overparam.layers().forEach(names::add);
            }
            if (ortho != null) {
                o.put("ortho", ortho.kind());
                o.put("ortho_lambda", ortho.lambda());
                o.put("ortho_decay", ortho.decay());
                o.put("ortho_plain_weights", ortho.plainWeights());
                o.put("ortho_weights", ortho.weights());
            }
            resumed.write(o);
            costs.write(o);
            o.put("accuracy", accuracy);
        }
    }

    /** {@code V/fold}: factorized convolutions folded to one kernel each. */
    record Folded(Costs costs, List<String> foldedLayers) implements PhaseResult {
        public Folded {
            foldedLayers = List.copyOf(foldedLayers);
        }

        @Override
        public void write(ObjectNode o) {
            costs.write(o);
            ArrayNode names = o.putArray("folded_layers");
            foldedLayers.forEach(names::add);
        }
    }

    /**
     * {@code V/ranks}: the rank plan the tucker phase applies, at EVBMF strength {@code weakening}; with a target,
     * whether it was met; with {@code --speed-aware}, the timings known so far (a resumed run reuses them).
     *
     * @param targetMet    null without a target ratio
     * @param speedTimings null without {@code --speed-aware}
     */
    record RankPlan(Boolean targetMet, double weakening, Map<String, LayerTiming> speedTimings, DecompositionPlan plan)
            implements PhaseResult {
        @Override
        public void write(ObjectNode o) {
            if (targetMet != null) {
                o.put("target_met", targetMet);
            }
            o.put("weakening", weakening);
            if (speedTimings != null) {
                ObjectNode timings = o.putObject("speed_timings");
                speedTimings.forEach((k, t) -> timings.set(k, AuditJson.toJson(t)));
            }
            o.put("planned_params_ratio", plan.paramsRatio());
            o.put("planned_macs_ratio", plan.macsRatio());
            ArrayNode layers = o.putArray("ranks");
            for (LayerPlan l : plan.layers()) {
                ObjectNode n = layers.addObject();
                n.put("name", l.name());
                n.put("method", l.method().label());
                n.set("ranks", AuditJson.ints(l.ranks()));
                if (l.timing() != null) {
                    n.set("speed", AuditJson.toJson(l.timing()));
                }
            }
            o.set("plan", PlanJson.write(plan));
        }

        static RankPlan read(RecordFields f) throws MalformedFileException {
            Boolean met = f.has("target_met") ? f.bool("target_met") : null;
            Map<String, LayerTiming> timings = null;
            if (f.has("speed_timings")) {
                RecordFields t = f.object("speed_timings");
                timings = new LinkedHashMap<>();
                for (var it = t.node().fieldNames(); it.hasNext(); ) {
                    String k = it.next();
                    timings.put(k, PlanJson.timing(t.object(k)));
                }
            }
            double w = f.nonNegative("weakening");
            DecompositionPlan plan = PlanJson.read(f.object("plan"));
            RankPlan r = new RankPlan(met, w, timings, plan);
            // the summary fields must say what the plan says
            ObjectNode again = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
            r.write(again);
            for (String field : List.of("planned_params_ratio", "planned_macs_ratio", "ranks")) {
                if (!again.get(field).equals(f.node().get(field))) {
                    throw f.bad(field, "what the recorded plan gives (" + RecordFields.shown(again.get(field)) + ")");
                }
            }
            return r;
        }
    }

    /** {@code V/tucker}: the plan applied; {@code layers} are the per-layer rows of the summary. */
    record Decomposed(Costs costs, long decomposedLayers, ArrayNode layers) implements PhaseResult {
        @Override
        public void write(ObjectNode o) {
            costs.write(o);
            o.put("decomposed_layers", decomposedLayers);
            o.set("layers", layers);
        }
    }

    /** {@code V/eval_before}: test accuracy of the decomposed model before fine-tuning. */
    record Accuracy(double accuracy) implements PhaseResult {
        @Override
        public void write(ObjectNode o) {
            o.put("accuracy", accuracy);
        }
    }

    /** {@code V/finetune}: the decomposed model fine-tuned. */
    record FineTuned(boolean orthoOnFactors, int epochs, Resumed resumed) implements PhaseResult {
        @Override
        public void write(ObjectNode o) {
            o.put("ortho_on_factors", orthoOnFactors);
            o.put("epochs", epochs);
            resumed.write(o);
        }
    }

    /** {@code V/eval}: the final model's costs and test accuracy. */
    record Evaluated(Costs costs, double accuracy) implements PhaseResult {
        @Override
        public void write(ObjectNode o) {
            costs.write(o);
            o.put("accuracy", accuracy);
        }
    }
}
