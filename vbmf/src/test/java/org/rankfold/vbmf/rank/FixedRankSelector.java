package org.rankfold.vbmf.rank;

import java.util.List;

import org.ejml.data.DMatrixRMaj;

/**
 * A fixed rank, lowered to the full rank of the unfolding when larger: a test fixture that makes a
 * decomposition use a chosen rank (the command line offers EVBMF, energy and ratio selectors).
 *
 * @param rank &gt;= 1
 */
public record FixedRankSelector(int rank) implements RankSelector {

    public FixedRankSelector {
        if (rank < 1) {
            throw new IllegalArgumentException("fixed rank must be >= 1, got " + rank);
        }
    }

    @Override
    public RankChoice select(DMatrixRMaj unfolding) {
        EnergyFractionSelector.checked(unfolding);
        int full = Math.min(unfolding.numRows, unfolding.numCols);
        return RankChoice.clamp(describe(), rank, rank, full, 1, Integer.MAX_VALUE, List.of(), null);
    }

    @Override
    public String describe() {
        return "fixed(" + rank + ")";
    }
}
