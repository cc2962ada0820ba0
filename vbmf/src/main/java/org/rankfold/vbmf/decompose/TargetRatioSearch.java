package org.rankfold.vbmf.decompose;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

import org.rankfold.engine.nn.Module;
import org.rankfold.vbmf.rank.RankSelector;

/**
 * Target mode (issue 6): the least aggressive MUSCO weakening factor {@code w} in [0, 1] whose plan meets a
 * params or MACs compression ratio, by bisection. Every rank is non-increasing in {@code w}
 * ({@code r = r_full - floor(w (r_full - r_evbmf))}) and a layer is only decomposed when it saves, so each
 * layer's cost and hence the model's ratio are monotone in {@code w}; bisection finds the smallest
 * {@code w} (to {@link #TOLERANCE}) with {@code ratio(w) >= target}. When even {@code w = 1} (plain EVBMF)
 * falls short, the EVBMF plan is returned with {@code met = false}: the ranks are not forced below EVBMF's.
 */
public final class TargetRatioSearch {
    /** Bisection stops when the bracket on {@code w} is this narrow. */
    public static final double TOLERANCE = 1e-3;

    /** Which ratio the target is on. */
    public enum Measure {
        PARAMS, MACS
    }

    /** One evaluated weakening factor. */
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
     * Searches {@code w} for {@code model} (not modified).
     *
     * @param selectorForWeakening builds the selector at a given {@code w} (e.g. an EVBMF selector with the
     *                             user's min/max ranks)
     * @param target               the ratio to reach, &gt; 1
     */
    public static Result search(Module model, int[] inputShape, DecomposerOptions options,
                                DoubleFunction<RankSelector> selectorForWeakening, Measure measure, double target) {
        if (!(target > 1) || !Double.isFinite(target)) {
            throw new IllegalArgumentException("target ratio must be a finite number > 1, got " + target);
        }
        List<Step> steps = new ArrayList<>();
        DecompositionPlan atOne = plan(model, inputShape, options, selectorForWeakening, 1.0, steps);
        if (ratio(atOne, measure) < target) {
            return new Result(measure, target, 1.0, atOne, false, steps);
        }
        DecompositionPlan atZero = plan(model, inputShape, options, selectorForWeakening, 0.0, steps);
        if (ratio(atZero, measure) >= target) {
            return new Result(measure, target, 0.0, atZero, true, steps);
        }
        double lo = 0;
        double hi = 1;
        DecompositionPlan best = atOne;
        while (hi - lo > TOLERANCE) {
            double mid = 0.5 * (lo + hi);
            DecompositionPlan p = plan(model, inputShape, options, selectorForWeakening, mid, steps);
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
