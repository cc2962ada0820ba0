package org.rankfold.tools.compress;

import org.rankfold.tools.UserError;
import org.rankfold.vbmf.decompose.SelectorSpec;

import picocli.CommandLine.Option;

/**
 * The rank-selection and layer options shared by {@code decompose} and {@code compress} (a picocli
 * mixin): selector, weakening, min/max rank, target ratios, which layers, the speed check.
 */
public final class RankOptions {

    @Option(names = "--selector", paramLabel = "S", defaultValue = "evbmf",
            description = "Rank selector: evbmf, energy:F (keep fraction F of the squared norm) or ratio:R (R of the full rank); with a target ratio evbmf, energy or ratio (the search finds F resp. R).")
    public String selector;

    @Option(names = "--weakening", paramLabel = "W", defaultValue = "1",
            description = "MUSCO weakening r = r_full - W*(r_full - r_evbmf), W in [0, 1] (1: plain EVBMF).")
    public double weakening;

    @Option(names = "--min-rank", paramLabel = "N", defaultValue = "1", description = "Smallest rank (EVBMF selector).")
    public int minRank;

    @Option(names = "--max-rank", paramLabel = "N", description = "Largest rank (EVBMF selector; default: none).")
    public Integer maxRank;

    @Option(names = "--target-params-ratio", paramLabel = "X",
            description = "Find by bisection the EVBMF strength (weakening below 1, a raised threshold above), or with --selector energy/ratio the largest fraction, that gives X times fewer params.")
    public Double targetParamsRatio;

    @Option(names = "--target-macs-ratio", paramLabel = "X",
            description = "Find by bisection the EVBMF strength (weakening below 1, a raised threshold above), or with --selector energy/ratio the largest fraction, that gives X times fewer MACs.")
    public Double targetMacsRatio;

    @Option(names = "--pointwise", description = "Also decompose 1x1 convolutions (two-factor SVD).")
    public boolean pointwise;

    @Option(names = "--first", description = "Also decompose the first convolution (the input layer).")
    public boolean first;

    @Option(names = "--classifier",
            description = "Also decompose the classifier (the last layer, when it is linear). Default: dense, since its rank bounds how many classes the logits can separate.")
    public boolean classifier;

    @Option(names = "--no-linear", description = "Leave linear layers dense (default: two-factor SVD at the EVBMF rank).")
    public boolean noLinear;

    @Option(names = "--speed-aware",
            description = "Decompose a layer only if it is also measured faster: forward of the layer vs its 1x1-kxk-1x1 (or two-factor) form on its real input at --batch and the thread count, median of 7 calls after warm-up; both times and the decision go to the audit.")
    public boolean speedAware;

    @Option(names = "--speed-margin", paramLabel = "F", defaultValue = "0.05",
            description = "With --speed-aware: the decomposed form must be this fraction faster (0.05: 5%%).")
    public double speedMargin;

    public int maxRankOrUnlimited() {
        return maxRank == null ? Integer.MAX_VALUE : maxRank;
    }

    /** The settings of rank planning these options give ({@link org.rankfold.vbmf.decompose.RankPlanning}). */
    public org.rankfold.vbmf.decompose.RankSettings settings() {
        return new org.rankfold.vbmf.decompose.RankSettings(selector, weakening, minRank, maxRankOrUnlimited(),
                targetParamsRatio == null ? 0 : targetParamsRatio, targetMacsRatio == null ? 0 : targetMacsRatio,
                pointwise, !noLinear, first, classifier);
    }

    /** Checks the combination; UserError (exit 2) when it cannot work. */
    public void validate() {
        if (!(weakening >= 0 && weakening <= 1)) {
            throw new UserError("--weakening must be in [0, 1], got " + weakening);
        }
        if (minRank < 1 || maxRankOrUnlimited() < minRank) {
            throw new UserError("need 1 <= --min-rank <= --max-rank, got " + minRank + " and " + maxRankOrUnlimited());
        }
        if (targetParamsRatio != null && targetMacsRatio != null) {
            throw new UserError("give --target-params-ratio or --target-macs-ratio, not both");
        }
        Double t = targetParamsRatio != null ? targetParamsRatio : targetMacsRatio;
        if (t != null && !(t > 1 && Double.isFinite(t))) {
            throw new UserError("a target ratio must be a number > 1 (original / compressed), got " + t);
        }
        if (t != null && !SelectorSpec.isEvbmf(selector) && !SelectorSpec.isSearched(selector)) {
            throw new UserError("with a target ratio the search finds the selector's value: give --selector evbmf, energy or ratio"
                    + " (without :F or :R), got " + selector);
        }
        if (SelectorSpec.isSearched(selector) && (weakening != 1 || minRank != 1 || maxRank != null)) {
            throw new UserError("--weakening, --min-rank and --max-rank apply to --selector evbmf only, got --selector " + selector);
        }
        if (!(speedMargin >= 0 && speedMargin < 1)) {
            throw new UserError("--speed-margin must be in [0, 1), got " + speedMargin);
        }
        if (SelectorSpec.isSearched(selector)) {
            if (t == null) {
                throw new UserError("--selector " + selector + " without a value needs --target-params-ratio or --target-macs-ratio"
                        + " (the search finds it); give " + selector + (SelectorSpec.kind(selector).equals("energy") ? ":F" : ":R")
                        + " otherwise");
            }
            return;
        }
        try {
            SelectorSpec.parse(selector, weakening, minRank, maxRankOrUnlimited());
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }
}
