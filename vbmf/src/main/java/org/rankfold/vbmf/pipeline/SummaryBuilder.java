package org.rankfold.vbmf.pipeline;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.datasets.DataSplit;
import org.rankfold.kernels.Backends;
import org.rankfold.vbmf.decompose.SelectorSpec;

/**
 * {@code summary.json} from the completed phases: {@code baseline.{accuracy,params,macs}},
 * {@code compressed.{variant,accuracy,accuracy_before_finetune,params,macs}} (the full method, or the last
 * variant run when it was not), {@code params_ratio}, {@code macs_ratio} (original / compressed),
 * {@code layers[]} of the compressed variant ({@link LayerSummary}),
 * {@code ablation.<variant>.{accuracy,accuracy_before_finetune,trained_accuracy,params,macs,params_ratio,macs_ratio,weakening}},
 * with a target ratio {@code matched.{measure,target,tolerance,all_met,matched,spread,variants.<v>.{ratio,accuracy,
 * delta_vs_baseline,delta_vs_plain}}} (the ablation at matched compression),
 * {@code training_reused_from} when the trained phases came from another run ({@code --reuse-training}),
 * {@code data.{dataset,train_images,test_images}}, {@code seed}, {@code machine.{cores,java,backend,threads}}
 * (the machine that wrote the summary), the method's settings and
 * {@code wall_seconds} per phase.
 */
final class SummaryBuilder {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SummaryBuilder() {
    }

    static ObjectNode build(CompressionConfig config, DataSplit data, Progress progress) {
        ObjectNode s = MAPPER.createObjectNode();
        s.put("model", config.model());
        s.put("seed", config.seed());
        ObjectNode d = s.putObject("data");
        d.put("dataset", data.origin());
        d.put("train_images", data.train().size());
        d.put("test_images", data.test().size());
        ObjectNode machine = s.putObject("machine");
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("java", Runtime.version().toString());
        machine.put("backend", Backends.current().name());
        machine.put("threads", Backends.current().threads());
        s.put("overparam", config.overparam().label());
        s.put("expand", config.overparam().factor(config.expand()));
        s.put("ortho", config.ortho());
        s.put("ortho_lambda", config.orthoLambda());
        s.put("selector", config.selector());
        CompletedPhase baseline = progress.get("baseline");
        PhaseResult.Baseline base = (PhaseResult.Baseline) baseline.result();
        if (baseline.reusedFrom() != null) {
            s.put("training_reused_from", baseline.reusedFrom());
        }

        ObjectNode b = s.putObject("baseline");
        b.put("accuracy", base.accuracy());
        b.put("params", base.costs().params());
        b.put("macs", base.costs().macs());
        CompletedPhase matchedEval = progress.get("baseline/eval");
        Double matchedAccuracy = null;
        if (matchedEval != null) {
            // the dense model with the variants' fine-tuning budget too: the fair comparison
            matchedAccuracy = ((PhaseResult.Evaluated) matchedEval.result()).accuracy();
            ObjectNode bm = s.putObject("baseline_matched");
            bm.put("accuracy", matchedAccuracy);
            bm.put("epochs", config.epochs() + config.finetuneEpochs());
            bm.put("params", base.costs().params());
            bm.put("macs", base.costs().macs());
        }

        ObjectNode ablation = s.putObject("ablation");
        Variant compressed = config.variants().contains(Variant.FULL) ? Variant.FULL
                : config.variants().get(config.variants().size() - 1);
        for (Variant v : config.variants()) {
            String p = v.label() + "/";
            ObjectNode a = ablation.putObject(v.label());
            PhaseResult.Evaluated eval = (PhaseResult.Evaluated) progress.get(p + "eval").result();
            PhaseResult.RankPlan ranks = (PhaseResult.RankPlan) progress.get(p + "ranks").result();
            CompletedPhase trained = progress.get(p + "train");
            a.put("accuracy", eval.accuracy());
            a.put("accuracy_before_finetune", ((PhaseResult.Accuracy) progress.get(p + "eval_before").result()).accuracy());
            a.put("trained_accuracy", v == Variant.PLAIN ? base.accuracy()
                    : ((PhaseResult.Trained) trained.result()).accuracy());
            a.put("params", eval.costs().params());
            a.put("macs", eval.costs().macs());
            a.put("params_ratio", (double) base.costs().params() / (double) eval.costs().params());
            a.put("macs_ratio", (double) base.costs().macs() / (double) eval.costs().macs());
            if (matchedAccuracy != null) {
                a.put("delta_vs_matched_baseline", eval.accuracy() - matchedAccuracy);
            }
            a.put("weakening", ranks.weakening());
            a.put("selector", SelectorSpec.kind(config.selector()));
            if (SelectorSpec.isSearched(config.selector())) {
                // the fraction the target search found, which the weakening field's strength t stands for (1 - t)
                a.put(SelectorSpec.valueField(config.selector()), SelectorSpec.searchedValue(ranks.weakening()));
            }
            if (ranks.targetMet() != null) {
                a.put("target_met", ranks.targetMet().booleanValue());
            }
            if (trained != null && trained.reusedFrom() != null) {
                a.put("training_reused_from", trained.reusedFrom());
            }
        }
        ObjectNode c = s.putObject("compressed");
        JsonNode cv = ablation.get(compressed.label());
        c.put("variant", compressed.label());
        c.put("accuracy", cv.get("accuracy").asDouble());
        c.put("accuracy_before_finetune", cv.get("accuracy_before_finetune").asDouble());
        c.put("params", cv.get("params").asLong());
        c.put("macs", cv.get("macs").asLong());
        s.put("params_ratio", cv.get("params_ratio").asDouble());
        s.put("macs_ratio", cv.get("macs_ratio").asDouble());
        s.set("layers", ((PhaseResult.Decomposed) progress.get(compressed.label() + "/tucker").result()).layers());

        if (config.targetParamsRatio() > 0 || config.targetMacsRatio() > 0) {
            s.set("matched", matched(config, b, ablation));
        }

        ObjectNode wall = s.putObject("wall_seconds");
        for (CompletedPhase e : progress.completed().values()) {
            wall.put(e.name(), e.wallSeconds());
        }
        return s;
    }

    /**
     * The ablation at matched compression (with a target ratio): every variant's ratio on the target's measure,
     * its accuracy and the difference to the baseline and to the plain variant; {@code matched} is true when
     * every variant met the target and none overshot it by more than {@link #MATCH_TOLERANCE} (ranks are
     * integers, so the bisection lands on the first plan at or above the target, not on it).
     */
    private static ObjectNode matched(CompressionConfig config, JsonNode base, ObjectNode ablation) {
        boolean params = config.targetParamsRatio() > 0;
        double target = params ? config.targetParamsRatio() : config.targetMacsRatio();
        String field = params ? "params_ratio" : "macs_ratio";
        ObjectNode m = MAPPER.createObjectNode();
        m.put("measure", params ? "params" : "macs");
        m.put("target", target);
        m.put("tolerance", MATCH_TOLERANCE);
        boolean met = true;
        boolean within = true;
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        JsonNode plain = ablation.get(Variant.PLAIN.label());
        ObjectNode vs = m.putObject("variants");
        for (Map.Entry<String, JsonNode> e : ablation.properties()) {
            JsonNode a = e.getValue();
            double r = a.get(field).asDouble();
            met &= a.path("target_met").asBoolean(false);
            within &= r >= target * (1 - 1e-12) && r <= target * (1 + MATCH_TOLERANCE);
            lo = Math.min(lo, r);
            hi = Math.max(hi, r);
            ObjectNode v = vs.putObject(e.getKey());
            v.put("ratio", r);
            v.put("accuracy", a.get("accuracy").asDouble());
            v.put("delta_vs_baseline", a.get("accuracy").asDouble() - base.get("accuracy").asDouble());
            if (plain != null) {
                v.put("delta_vs_plain", a.get("accuracy").asDouble() - plain.get("accuracy").asDouble());
            }
        }
        m.put("all_met", met);
        m.put("matched", met && within);
        m.put("spread", hi / lo - 1);
        return m;
    }

    /** How far above the target a variant's ratio may land and still count as matched (5%). */
    static final double MATCH_TOLERANCE = 0.05;
}
