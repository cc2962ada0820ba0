package org.rankfold.vbmf.decompose;

import org.rankfold.vbmf.rank.EvbmfStrengthSelector;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.engine.nn.Module;

/**
 * The one rank-planning path of {@code compress} (its rank phase) and {@code decompose}: with a target ratio, the
 * EVBMF strength found by {@link TargetRatioSearch} in [0, {@link EvbmfStrengthSelector#MAX_STRENGTH}] (up to 1
 * MUSCO's weakening, above 1 a raised EVBMF threshold) and its plan, or for {@code --selector energy} / {@code ratio}
 * the largest energy fraction / rank ratio that meets the target; else the plan at the given weakening; plus the
 * search's audit record. The plan is what {@link Decomposer#apply} then carries out.
 *
 * @param plan      the decision for every costed layer
 * @param weakening the search strength of the plan: the EVBMF strength, or {@code t} of a searched energy/ratio
 *                  selector (value {@code 1 - t}, {@link SelectorSpec#searchedValue}); the requested weakening
 *                  without a target
 * @param options   the decomposer's options at that strength
 * @param search    the target search, or null without a target
 * @param selector  the {@code --selector} the plan was made with
 */
public record RankPlanning(DecompositionPlan plan, double weakening, DecomposerOptions options,
                           TargetRatioSearch.Result search, String selector) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * Bisection tolerance of an energy/ratio search: a fraction near 1 (energy 0.995 vs 0.996) changes ranks a lot,
     * so the bracket is narrowed further than the EVBMF strength's.
     */
    static final double SEARCHED_TOLERANCE = 1e-6;

    /**
     * Plans the ranks of {@code model} (not modified) on one input of shape {@code inputShape}.
     *
     * @param phase the phase name the decomposition's audit records will carry
     * @param speed the {@code --speed-aware} check, or null
     */
    public static RankPlanning plan(Module model, int[] inputShape, RankSettings s, String phase, SpeedCheck speed) {
        TargetRatioSearch.Measure measure = s.targetMeasure();
        if (measure == null) {
            DecomposerOptions o = s.options(s.weakening(), phase, speed);
            return new RankPlanning(DecompositionPlanner.plan(model, inputShape, o), s.weakening(), o, null, s.selector());
        }
        TargetRatioSearch.Result t = SelectorSpec.isSearched(s.selector())
                ? TargetRatioSearch.search(model, inputShape, s.options(0, phase, speed),
                        x -> SelectorSpec.searchedAt(s.selector(), x), measure, s.target(), 1, SEARCHED_TOLERANCE)
                : TargetRatioSearch.search(model, inputShape, s.options(s.weakening(), phase, speed),
                        x -> EvbmfStrengthSelector.at(x, s.minRank(), s.maxRank()), measure, s.target(),
                        EvbmfStrengthSelector.MAX_STRENGTH);
        return new RankPlanning(t.plan(), t.weakening(), s.options(t.weakening(), phase, speed), t, s.selector());
    }

    /** The selector's value at this plan's strength: the energy fraction or rank ratio found; NaN for EVBMF. */
    public double searchedValue() {
        return SelectorSpec.isSearched(selector) ? SelectorSpec.searchedValue(weakening) : Double.NaN;
    }

    /**
     * The audit record of the target search ({@code step: target_search}): measure, target, the selector, the
     * strength found (and for energy/ratio the fraction it stands for, {@code energy_fraction} or {@code rank_ratio}),
     * whether the target was met, the plan's ratios and every step tried; null without a target.
     *
     * @param phase   the record's phase
     * @param variant the variant it belongs to, or null
     */
    public ObjectNode targetRecord(String phase, String variant) {
        if (search == null) {
            return null;
        }
        ObjectNode o = MAPPER.createObjectNode();
        o.put("phase", phase);
        if (variant != null) {
            o.put("variant", variant);
        }
        o.put("step", "target_search");
        o.put("measure", search.measure().name().toLowerCase(Locale.ROOT));
        o.put("target", search.target());
        o.put("selector", SelectorSpec.kind(selector));
        o.put("weakening", search.weakening());
        boolean searched = SelectorSpec.isSearched(selector);
        String field = SelectorSpec.valueField(selector);
        if (searched) {
            o.put(field, SelectorSpec.searchedValue(search.weakening()));
        }
        o.put("met", search.met());
        o.put("params_ratio", search.plan().paramsRatio());
        o.put("macs_ratio", search.plan().macsRatio());
        ArrayNode steps = o.putArray("steps");
        for (TargetRatioSearch.Step st : search.steps()) {
            ObjectNode step = steps.addObject().put("weakening", st.weakening());
            if (searched) {
                step.put(field, SelectorSpec.searchedValue(st.weakening()));
            }
            step.put("params_ratio", st.paramsRatio()).put("macs_ratio", st.macsRatio());
        }
        return o;
    }
}
