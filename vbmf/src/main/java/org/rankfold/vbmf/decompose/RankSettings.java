package org.rankfold.vbmf.decompose;

import org.rankfold.vbmf.rank.EvbmfStrengthSelector;
import org.rankfold.vbmf.tucker.Tucker2Options;

/**
 * What the user asked of rank selection, shared by {@code compress} and {@code decompose}: the selector
 * ({@code evbmf}, {@code energy:F}, {@code ratio:R}; {@code energy} or {@code ratio} with a target), the MUSCO weakening, rank bounds, an optional target ratio
 * on params or MACs (0: none) and which layers may be decomposed.
 *
 * @param maxRank largest rank ({@link Integer#MAX_VALUE}: no bound)
 */
public record RankSettings(String selector, double weakening, int minRank, int maxRank, double targetParamsRatio,
                           double targetMacsRatio, boolean pointwise, boolean linear, boolean first,
                           boolean classifier) {

    /** The target measure, or null without a target. */
    public TargetRatioSearch.Measure targetMeasure() {
        return targetParamsRatio > 0 ? TargetRatioSearch.Measure.PARAMS
                : targetMacsRatio > 0 ? TargetRatioSearch.Measure.MACS : null;
    }

    /** The target ratio of {@link #targetMeasure()}. */
    public double target() {
        return targetParamsRatio > 0 ? targetParamsRatio : targetMacsRatio;
    }

    /**
     * The decomposer's options at EVBMF strength {@code weakening} (a target search may go beyond plain EVBMF,
     * strength &gt; 1, {@link EvbmfStrengthSelector}), or for a searched {@code energy}/{@code ratio} selector at
     * search strength {@code weakening} ({@link SelectorSpec#searchedValue}), writing {@code phase} into the audit
     * records.
     *
     * @param speed the {@code --speed-aware} check, or null
     */
    public DecomposerOptions options(double weakening, String phase, SpeedCheck speed) {
        return new DecomposerOptions(SelectorSpec.isEvbmf(selector)
                ? EvbmfStrengthSelector.at(weakening, minRank, maxRank)
                : SelectorSpec.isSearched(selector) ? SelectorSpec.searchedAt(selector, weakening)
                : SelectorSpec.parse(selector, weakening, minRank, maxRank),
                Tucker2Options.tensorly(), pointwise, linear, first, classifier, phase, speed);
    }
}
