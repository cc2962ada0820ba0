package org.rankfold.vbmf.rank;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.ejml.data.DMatrixRMaj;
import org.rankfold.vbmf.evbmf.Evbmf;
import org.rankfold.vbmf.evbmf.VbmfResult;

/**
 * EVBMF ranks on one continuous, monotone scale of aggressiveness {@code t in [0, 2]}, for the target
 * search ({@link TargetRatioSearch}):
 * <ul>
 * <li>{@code t <= 1}: MUSCO's weakening with {@code w = t} ({@link EvbmfSelector}; {@code t = 0} the full
 * rank, {@code t = 1} the EVBMF rank);</li>
 * <li>{@code t > 1}: the EVBMF threshold raised linearly towards the largest singular value,
 * {@code threshold_t = threshold + (t - 1) (s_1 - threshold)}; the rank is the number of singular values
 * strictly above it ({@code t = 2} keeps none, clamped to 1).</li>
 * </ul>
 * Beyond {@code t = 1} the ranks are smaller than EVBMF's own; the audit keeps EVBMF's rank as the proposed
 * rank and says in a note how the used one was reached. Ranks are clamped to {@code [minRank, maxRank]}.
 *
 * @param strength {@code t} in [0, 2]
 * @param minRank  smallest rank, &gt;= 1
 * @param maxRank  largest rank, &gt;= minRank
 */
public record EvbmfStrengthSelector(double strength, int minRank, int maxRank) implements RankSelector {

    /** The upper end of the scale: every rank 1. */
    public static final double MAX_STRENGTH = 2;

    public EvbmfStrengthSelector {
        if (!(strength >= 0 && strength <= MAX_STRENGTH)) {
            throw new IllegalArgumentException("EVBMF strength must be in [0, 2], got " + strength);
        }
        if (minRank < 1 || maxRank < minRank) {
            throw new IllegalArgumentException("need 1 <= minRank <= maxRank, got [" + minRank + ", " + maxRank + "]");
        }
    }

    /** The selector to use at strength {@code t}: the plain weakened EVBMF selector up to 1, this one above. */
    public static RankSelector at(double t, int minRank, int maxRank) {
        return t <= 1 ? new EvbmfSelector(t, minRank, maxRank) : new EvbmfStrengthSelector(t, minRank, maxRank);
    }

    @Override
    public RankChoice select(DMatrixRMaj unfolding) {
        if (strength <= 1) {
            return new EvbmfSelector(strength, minRank, maxRank).select(unfolding);
        }
        VbmfResult r = Evbmf.run(unfolding, Double.NaN, false);
        double[] s = r.singularValues();
        double raised = r.threshold() + (strength - 1) * (s[0] - r.threshold());
        int rank = 0;
        while (rank < s.length && s[rank] > raised) {
            rank++;
        }
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "EVBMF threshold %.6g raised to %.6g (strength %s): rank %d instead of %d",
                r.threshold(), raised, strength, rank, r.rank()));
        boolean zero = rank == 0;
        if (zero) {
            notes.add("rank 0 clamped to 1 (the raised threshold keeps no component)");
            rank = 1;
        }
        int full = r.fullRank();
        int used = Math.min(Math.max(rank, Math.min(minRank, full)), Math.min(maxRank, full));
        if (used != rank) {
            notes.add("rank " + rank + " clamped to [" + minRank + ", " + Math.min(maxRank, full) + "]: " + used);
        }
        return new RankChoice(describe(), used, r.rank(), full, zero, notes, r);
    }

    @Override
    public String describe() {
        StringBuilder b = new StringBuilder("evbmf(strength=").append(strength);
        if (minRank != 1) {
            b.append(", min=").append(minRank);
        }
        if (maxRank != Integer.MAX_VALUE) {
            b.append(", max=").append(maxRank);
        }
        return b.append(')').toString();
    }
}
