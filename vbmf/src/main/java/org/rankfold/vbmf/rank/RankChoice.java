package org.rankfold.vbmf.rank;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.rankfold.vbmf.evbmf.VbmfResult;

/**
 * The rank chosen for one unfolding and how it was reached.
 *
 * @param selector     the selector's {@link RankSelector#describe()}
 * @param rank         the rank to use, in {@code [1, fullRank]}
 * @param proposedRank what the criterion itself gave before any clamping (may be 0)
 * @param fullRank     {@code min(rows, cols)} of the unfolding
 * @param clampedToOne true when the criterion proposed 0 and the rank was raised to 1
 * @param notes        human-readable remarks (clamps, weakening), for the audit trail
 * @param evbmf        the EVBMF result behind the choice, or null for selectors that do not run EVBMF
 */
public record RankChoice(String selector, int rank, int proposedRank, int fullRank, boolean clampedToOne,
                         List<String> notes, VbmfResult evbmf) {

    public RankChoice {
        if (rank < 1 || rank > fullRank) {
            throw new IllegalArgumentException("rank " + rank + " outside [1, " + fullRank + "]");
        }
        notes = List.copyOf(notes);
    }

    /** The EVBMF details, when the selector ran EVBMF. */
    public Optional<VbmfResult> evbmfDetails() {
        return Optional.ofNullable(evbmf);
    }

    /**
     * Clamps {@code candidate} into {@code [max(1, minRank), min(fullRank, maxRank)]}, recording each clamp.
     *
     * @param proposed the criterion's own rank (reported as is)
     */
    static RankChoice clamp(String selector, int proposed, int candidate, int fullRank, int minRank, int maxRank,
                            List<String> notes, VbmfResult evbmf) {
        List<String> all = new ArrayList<>(notes);
        int rank = candidate;
        boolean fromZero = rank < 1;
        if (fromZero) {
            all.add("rank 0 clamped to 1 (the criterion keeps no component)");
            rank = 1;
        }
        if (rank > maxRank) {
            all.add("rank " + rank + " lowered to the maximum " + maxRank);
            rank = maxRank;
        }
        if (rank > fullRank) {
            all.add("rank " + rank + " lowered to the full rank " + fullRank);
            rank = fullRank;
        }
        if (rank < minRank && rank < fullRank) {
            int raised = Math.min(minRank, fullRank);
            all.add("rank " + rank + " raised to the minimum " + raised);
            rank = raised;
        }
        return new RankChoice(selector, rank, proposed, fullRank, fromZero, all, evbmf);
    }
}
