package org.rankfold.vbmf.decompose;

import java.util.Locale;

import org.rankfold.vbmf.rank.EnergyFractionSelector;
import org.rankfold.vbmf.rank.EvbmfSelector;
import org.rankfold.vbmf.rank.FixedRatioSelector;
import org.rankfold.vbmf.rank.RankSelector;

/**
 * The {@code --selector} syntax shared by {@code decompose} and {@code compress}: {@code evbmf} (with the
 * weakening factor and min/max ranks), {@code energy:F} (keep a fraction F of the squared Frobenius norm) or
 * {@code ratio:R} (a fixed fraction R of the full rank). With a target ratio, {@code energy} and {@code ratio}
 * are given without a value: the target search finds F resp. R ({@link #searchedAt}).
 */
public final class SelectorSpec {
    /**
     * The smallest fraction a searched selector is given: at it every layer keeps rank 1, the most aggressive end of
     * the search (a fraction of 0 is no selector).
     */
    public static final double MIN_SEARCHED_VALUE = 1e-6;

    private SelectorSpec() {
    }

    /** True for {@code energy} or {@code ratio} without a value: a selector whose value a target search finds. */
    public static boolean isSearched(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        return s.equals("energy") || s.equals("ratio");
    }

    /**
     * The value of a searched selector at search strength {@code t} in [0, 1]: the kept fraction {@code 1 - t}
     * (energy fraction F or rank ratio R), at least {@link #MIN_SEARCHED_VALUE}. Ranks never grow as {@code t} grows,
     * so the search's bisection applies as it does to the EVBMF strength.
     */
    public static double searchedValue(double t) {
        return Math.max(1 - t, MIN_SEARCHED_VALUE);
    }

    /** The searched selector {@code spec} ({@code energy} or {@code ratio}) at strength {@code t}. */
    public static RankSelector searchedAt(String spec, double t) {
        double v = searchedValue(t);
        return kind(spec).equals("energy") ? new EnergyFractionSelector(v) : new FixedRatioSelector(v);
    }

    /** {@code evbmf}, {@code energy} or {@code ratio}: the selector's name without its value. */
    public static String kind(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        int colon = s.indexOf(':');
        return colon < 0 ? s : s.substring(0, colon);
    }

    /**
     * The summary/audit field that holds a searched selector's value: {@code energy_fraction} or {@code rank_ratio};
     * {@code weakening} (the EVBMF strength) for {@code evbmf}.
     */
    public static String valueField(String spec) {
        return switch (kind(spec)) {
            case "energy" -> "energy_fraction";
            case "ratio" -> "rank_ratio";
            default -> "weakening";
        };
    }

    /** True for {@code evbmf}, the only selector the weakening factor (and a target ratio) applies to. */
    public static boolean isEvbmf(String spec) {
        return spec.trim().equalsIgnoreCase("evbmf");
    }

    /** The selector for {@code spec}; IllegalArgumentException naming the accepted forms otherwise. */
    public static RankSelector parse(String spec, double weakening, int minRank, int maxRank) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("evbmf")) {
            return new EvbmfSelector(weakening, minRank, maxRank);
        }
        if (weakening != 1 || minRank != 1 || maxRank != Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--weakening, --min-rank and --max-rank apply to --selector evbmf only, got --selector "
                    + spec);
        }
        int colon = s.indexOf(':');
        String kind = colon < 0 ? s : s.substring(0, colon);
        if (colon < 0 && (kind.equals("energy") || kind.equals("ratio"))) {
            throw new IllegalArgumentException("--selector " + spec + " without a value needs a target ratio (the search finds it); give "
                    + kind + (kind.equals("energy") ? ":F" : ":R") + " otherwise");
        }
        if (colon < 0 || !(kind.equals("energy") || kind.equals("ratio"))) {
            throw new IllegalArgumentException("--selector must be evbmf, energy:F or ratio:R, got '" + spec + "'");
        }
        double v;
        try {
            v = Double.parseDouble(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--selector " + spec + ": '" + s.substring(colon + 1) + "' is not a number");
        }
        return kind.equals("energy") ? new EnergyFractionSelector(v) : new FixedRatioSelector(v);
    }
}
