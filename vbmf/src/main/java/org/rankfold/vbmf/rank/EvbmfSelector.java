package org.rankfold.vbmf.rank;

import java.util.ArrayList;
import java.util.List;

import org.ejml.data.DMatrixRMaj;
import org.rankfold.vbmf.evbmf.Evbmf;
import org.rankfold.vbmf.evbmf.VbmfResult;

/**
 * The EVBMF rank ({@link Evbmf}, sigma2 estimated), optionally weakened as in MUSCO (Gusak et al.,
 * "Automated multi-stage compression of neural networks", ICCVW 2019):
 * {@code r = r_full - w (r_full - r_evbmf)}, {@code w in [0, 1]} ({@code w = 1}: EVBMF itself,
 * {@code w = 0}: no reduction). The weakened rank is rounded up (keeps at least as much as asked), then
 * clamped to {@code [minRank, maxRank]}.
 *
 * @param weakening {@code w} in [0, 1]
 * @param minRank   smallest rank allowed, &gt;= 1
 * @param maxRank   largest rank allowed, &gt;= minRank
 */
public record EvbmfSelector(double weakening, int minRank, int maxRank) implements RankSelector {

    public EvbmfSelector {
        if (!(weakening >= 0 && weakening <= 1)) {
            throw new IllegalArgumentException("weakening factor must be in [0, 1], got " + weakening);
        }
        if (minRank < 1 || maxRank < minRank) {
            throw new IllegalArgumentException("need 1 <= minRank <= maxRank, got [" + minRank + ", " + maxRank + "]");
        }
    }

    /** Plain EVBMF: {@code w = 1}, no rank limits. */
    public EvbmfSelector() {
        this(1.0, 1, Integer.MAX_VALUE);
    }

    @Override
    public RankChoice select(DMatrixRMaj unfolding) {
        VbmfResult r = Evbmf.run(unfolding, Double.NaN, false);
        int full = r.fullRank();
        int reduction = full - r.rank();
        // floor of w * reduction; the epsilon keeps w = 1 exact despite rounding (w * n is exact for n < 2^53)
        int weakenedReduction = (int) Math.floor(weakening * reduction + 1e-9);
        int candidate = full - weakenedReduction;
        List<String> notes = new ArrayList<>();
        if (candidate != r.rank()) {
            notes.add("EVBMF rank " + r.rank() + " weakened to " + candidate + " (w = " + weakening + ", full rank "
                    + full + ")");
        }
        return RankChoice.clamp(describe(), r.rank(), candidate, full, minRank, maxRank, notes, r);
    }

    @Override
    public String describe() {
        StringBuilder b = new StringBuilder("evbmf");
        List<String> params = new ArrayList<>();
        if (weakening != 1) {
            params.add("w=" + weakening);
        }
        if (minRank != 1) {
            params.add("min=" + minRank);
        }
        if (maxRank != Integer.MAX_VALUE) {
            params.add("max=" + maxRank);
        }
        if (!params.isEmpty()) {
            b.append('(').append(String.join(", ", params)).append(')');
        }
        return b.toString();
    }
}
