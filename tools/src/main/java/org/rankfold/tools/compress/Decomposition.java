package org.rankfold.tools.compress;

import java.util.Locale;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.engine.nn.Module;
import org.rankfold.kernels.Backends;
import org.rankfold.tools.json.Json;
import org.rankfold.vbmf.decompose.DecomposerOptions;
import org.rankfold.vbmf.decompose.Decomposer;
import org.rankfold.vbmf.decompose.DecompositionPlan;
import org.rankfold.vbmf.decompose.DecompositionPlanner;
import org.rankfold.vbmf.decompose.DecompositionResult;
import org.rankfold.vbmf.decompose.ForwardTimer;
import org.rankfold.vbmf.decompose.SelectorSpec;
import org.rankfold.vbmf.decompose.SpeedCheck;
import org.rankfold.vbmf.decompose.TargetRatioSearch;
import org.rankfold.vbmf.rank.EvbmfStrengthSelector;
import org.rankfold.vbmf.tucker.Tucker2Options;

/**
 * Decomposes a model in place as the {@link RankOptions} say: with a target ratio, the EVBMF strength found by
 * {@link TargetRatioSearch} (in [0, 2]: up to 1 MUSCO's weakening, above 1 a raised EVBMF threshold), else the
 * given weakening; returns the result and, for a target, the search record for the audit trail.
 */
public record Decomposition(DecompositionResult result, String selector, double weakening, ObjectNode targetRecord) {

    /**
     * @param batch images per timed forward call of {@code --speed-aware} (timed at the current backend's threads)
     */
    public static Decomposition run(Module model, int[] inputShape, RankOptions o, String phase, int batch) {
        double w = o.weakening;
        ObjectNode record = null;
        SpeedCheck speed = o.speedAware ? new SpeedCheck(ForwardTimer.defaults(), batch, Backends.current().threads(),
                o.speedMargin) : null;
        DecomposerOptions options = options(o, w, phase, speed);
        DecompositionPlan plan;
        Double target = o.targetParamsRatio != null ? o.targetParamsRatio : o.targetMacsRatio;
        if (target != null) {
            TargetRatioSearch.Measure m = o.targetParamsRatio != null ? TargetRatioSearch.Measure.PARAMS
                    : TargetRatioSearch.Measure.MACS;
            TargetRatioSearch.Result t = TargetRatioSearch.search(model, inputShape, options,
                    x -> EvbmfStrengthSelector.at(x, o.minRank, o.maxRankOrUnlimited()), m, target,
                    EvbmfStrengthSelector.MAX_STRENGTH);
            w = t.weakening();
            plan = t.plan();
            options = options(o, w, phase, speed);
            record = Json.object();
            record.put("phase", phase);
            record.put("step", "target_search");
            record.put("measure", m.name().toLowerCase(Locale.ROOT));
            record.put("target", target);
            record.put("weakening", w);
            record.put("met", t.met());
            ArrayNode steps = record.putArray("steps");
            t.steps().forEach(s -> steps.addObject().put("weakening", s.weakening()).put("params_ratio", s.paramsRatio())
                    .put("macs_ratio", s.macsRatio()));
        } else {
            plan = DecompositionPlanner.plan(model, inputShape, options);
        }
        DecompositionResult r = Decomposer.apply(model, plan, options);
        return new Decomposition(r, options.selector().describe(), w, record);
    }

    private static DecomposerOptions options(RankOptions o, double w, String phase, SpeedCheck speed) {
        // a target search may go beyond plain EVBMF (strength > 1, EvbmfStrengthSelector)
        return new DecomposerOptions(SelectorSpec.isEvbmf(o.selector) ? EvbmfStrengthSelector.at(w, o.minRank,
                o.maxRankOrUnlimited()) : SelectorSpec.parse(o.selector, w, o.minRank, o.maxRankOrUnlimited()),
                Tucker2Options.tensorly(), o.pointwise, !o.noLinear, o.first, o.classifier, phase, speed);
    }
}
