package org.rankfold.vbmf.decompose;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

import org.rankfold.engine.nn.Module;
import org.rankfold.vbmf.rank.EvbmfStrengthSelector;
import org.rankfold.vbmf.rank.RankSelector;

/**
 * Target mode (docs/method.md): the least aggressive EVBMF strength (or, for the {@code energy} and {@code ratio}
 * selectors, the largest kept fraction, {@link SelectorSpec#searchedValue}) {@code t} in [0, 2] whose plan meets a params
 * or MACs compression ratio, by bisection. Up to {@code t = 1} this is MUSCO's weakening factor
 * ({@code r = r_full - floor(t (r_full - r_evbmf))}); above 1 the EVBMF threshold itself is raised towards the
 * largest singular value ({@link EvbmfStrengthSelector}), so targets beyond plain EVBMF's ratio are reachable
 * too. Every rank is non-increasing in {@code t} and a layer is only decomposed when it saves, so each layer's
 * cost and hence the model's ratio are monotone in {@code t}; bisection finds the smallest {@code t} (to
 * {@link #TOLERANCE}) with {@code ratio(t) >= target}. When even the largest strength the caller allows falls
 * short, that plan is returned with {@code met = false}.
 */
public final class TargetRatioSearch {
    /** Bisection stops when the bracket on {@code w} is this narrow. */
    public static final double TOLERANCE = 1e-3;

    /** Which ratio the target is on. */
    public enum Measure {
        PARAMS, MACS
    }

    /** One evaluated strength ({@code weakening}: the strength t, equal to MUSCO's w when at most 1). */
    public record Step(double weakening, double paramsRatio, double macsRatio) {
    }

    /**
     * The outcome: the chosen {@code w}, its plan, whether the target was met, and every step tried (for the
     * audit trail).
     */
    public record Result(Measure measure, double target, double weakening, DecompositionPlan plan, boolean met,
                         List<Step> steps) {
        public Result {
            steps = List.copyOf(steps);
        }
    }

    private TargetRatioSearch() {
    }

    /**
     * Searches the MUSCO weakening {@code w} in [0, 1] only (never below EVBMF's ranks).
     *
     * @param selectorForWeakening builds the selector at a given {@code w} (e.g. an EVBMF selector with the
     *                             user's min/max ranks)
     * @param target               the ratio to reach, &gt; 1
     */
    public static Result search(Module model, int[] inputShape, DecomposerOptions options,
                                DoubleFunction<RankSelector> selectorForWeakening, Measure measure, double target) {
        return search(model, inputShape, options, selectorForWeakening, measure, target, 1.0);
    }

    /**
     * Searches {@code t} in {@code [0, maxStrength]} for {@code model} (not modified).
     *
     * @param selectorForStrength builds the selector at a given {@code t} (e.g. {@link EvbmfStrengthSelector#at})
     * @param target              the ratio to reach, &gt; 1
     * @param maxStrength         the most aggressive {@code t} allowed (1: never below EVBMF's ranks)
     */
    public static Result search(Module model, int[] inputShape, DecomposerOptions options,
                                DoubleFunction<RankSelector> selectorForStrength, Measure measure, double target,
                                double maxStrength) {
        return search(model, inputShape, options, selectorForStrength, measure, target, maxStrength, TOLERANCE);
    }

    /**
     * As {@link #search(Module, int[], DecomposerOptions, DoubleFunction, Measure, double, double)}, bisecting until
     * the bracket on {@code t} is {@code tolerance} narrow. A finer tolerance than {@link #TOLERANCE} matters where
     * ranks change over small steps of {@code t}, e.g. an energy fraction near 1.
     */
    public static Result search(Module model, int[] inputShape, DecomposerOptions options,
                                DoubleFunction<RankSelector> selectorForStrength, Measure measure, double target,
                                double maxStrength, double tolerance) {
        if (!(tolerance > 0)) {
            throw new IllegalArgumentException("tolerance must be > 0, got " + tolerance);
        }
        if (!(target > 1) || !Double.isFinite(target)) {
            throw new IllegalArgumentException("target ratio must be a finite number > 1, got " + target);
        }
        List<Step> steps = new ArrayList<>();
        DecompositionPlan atMax = plan(model, inputShape, options, selectorForStrength, maxStrength, steps);
        if (ratio(atMax, measure) < target) {
            return new Result(measure, target, maxStrength, atMax, false, steps);
        }
        DecompositionPlan atZero = plan(model, inputShape, options, selectorForStrength, 0.0, steps);
        if (ratio(atZero, measure) >= target) {
            return new Result(measure, target, 0.0, atZero, true, steps);
        }
        double lo = 0;
        double hi = maxStrength;
        DecompositionPlan best = atMax;
        while (hi - lo > tolerance) {
            double mid = 0.5 * (lo + hi);
            DecompositionPlan p = plan(model, inputShape, options, selectorForStrength, mid, steps);
            if (ratio(p, measure) >= target) {
                hi = mid;
                best = p;
            } else {
                lo = mid;
            }
        }
        return new Result(measure, target, hi, best, true, steps);
    }

    private static DecompositionPlan plan(Module model, int[] inputShape, DecomposerOptions options,
                                          DoubleFunction<RankSelector> selectors, double w, List<Step> steps) {
        DecompositionPlan p = DecompositionPlanner.plan(model, inputShape, options.withSelector(selectors.apply(w)));
        steps.add(new Step(w, p.paramsRatio(), p.macsRatio()));
        return p;
    }

    private static double ratio(DecompositionPlan p, Measure m) {
        return m == Measure.PARAMS ? p.paramsRatio() : p.macsRatio();
    }
}
