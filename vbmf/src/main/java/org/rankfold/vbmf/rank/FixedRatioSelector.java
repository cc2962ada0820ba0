package org.rankfold.vbmf.rank;

import java.util.List;

import org.ejml.data.DMatrixRMaj;

/**
 * A fixed fraction of the full rank: {@code r = ceil(ratio * min(rows, cols))}.
 *
 * @param ratio in (0, 1]
 */
public record FixedRatioSelector(double ratio) implements RankSelector {

    public FixedRatioSelector {
        if (!(ratio > 0 && ratio <= 1)) {
            throw new IllegalArgumentException("rank ratio must be in (0, 1], got " + ratio);
        }
    }

    @Override
    public RankChoice select(DMatrixRMaj unfolding) {
        EnergyFractionSelector.checked(unfolding);
        int full = Math.min(unfolding.numRows, unfolding.numCols);
        // the epsilon keeps e.g. 0.3 * 10 = 3.0000000000000004 at 3
        int rank = (int) Math.ceil(ratio * full - 1e-9);
        return RankChoice.clamp(describe(), rank, rank, full, 1, Integer.MAX_VALUE, List.of(), null);
    }

    @Override
    public String describe() {
        return "ratio(" + ratio + ")";
    }
}
