package org.rankfold.vbmf.rank;

import java.util.List;

import org.ejml.data.DMatrixRMaj;
import org.rankfold.vbmf.linalg.SortedSvd;

/**
 * The smallest rank {@code r} whose leading singular values keep a fraction of the squared Frobenius norm:
 * {@code sum_{h < r} s_h^2 >= fraction * sum_h s_h^2} (truncation error {@code sqrt(1 - fraction)} relative).
 *
 * @param fraction in (0, 1]
 */
public record EnergyFractionSelector(double fraction) implements RankSelector {

    public EnergyFractionSelector {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("energy fraction must be in (0, 1], got " + fraction);
        }
    }

    @Override
    public RankChoice select(DMatrixRMaj unfolding) {
        double[] s = SortedSvd.values(checked(unfolding));
        double total = 0;
        for (double v : s) {
            total += v * v;
        }
        int rank = 0;
        double kept = 0;
        // compare kept against the target with the same summation order as the total
        while (rank < s.length && kept < fraction * total) {
            kept += s[rank] * s[rank];
            rank++;
        }
        return RankChoice.clamp(describe(), rank, rank, s.length, 1, Integer.MAX_VALUE, List.of(), null);
    }

    static DMatrixRMaj checked(DMatrixRMaj m) {
        if (m.numRows < 1 || m.numCols < 1) {
            throw new IllegalArgumentException("matrix is empty: " + m.numRows + " x " + m.numCols);
        }
        for (int i = 0; i < m.getNumElements(); i++) {
            if (!Double.isFinite(m.data[i])) {
                throw new IllegalArgumentException("matrix has a non-finite value at [" + (i / m.numCols) + ", "
                        + (i % m.numCols) + "]");
            }
        }
        return m;
    }

    @Override
    public String describe() {
        return "energy(" + fraction + ")";
    }
}
