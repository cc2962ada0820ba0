package org.rankfold.vbmf.decompose;

import java.util.Locale;

import org.rankfold.vbmf.rank.EnergyFractionSelector;
import org.rankfold.vbmf.rank.EvbmfSelector;
import org.rankfold.vbmf.rank.FixedRatioSelector;
import org.rankfold.vbmf.rank.RankSelector;

/**
 * The {@code --selector} syntax shared by {@code decompose} and {@code compress}: {@code evbmf} (with the
 * weakening factor and min/max ranks), {@code energy:F} (keep a fraction F of the squared Frobenius norm) or
 * {@code ratio:R} (a fixed fraction R of the full rank).
 */
public final class SelectorSpec {
    private SelectorSpec() {
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
