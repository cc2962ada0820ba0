package org.rankfold.vbmf.decompose;

import org.ejml.data.DMatrixRMaj;
import org.rankfold.vbmf.linalg.SortedSvd;
import org.rankfold.vbmf.tensor.Norms;

/**
 * Rank-R truncated SVD of a matrix (Eckart and Young, 1936: the best rank-R approximation in the Frobenius
 * norm), as the two factors of {@link LowRankFactors}.
 */
public final class TruncatedSvd {
    private TruncatedSvd() {
    }

    /** {@code w [out, in]} (not modified), {@code 1 <= rank <= min(out, in)}. */
    public static LowRankFactors decompose(DMatrixRMaj w, int rank) {
        int full = Math.min(w.numRows, w.numCols);
        if (rank < 1 || rank > full) {
            throw new IllegalArgumentException("rank must be in [1, " + full + "] for a " + w.numRows + " x "
                    + w.numCols + " matrix, got " + rank);
        }
        SortedSvd svd = SortedSvd.of(w);
        DMatrixRMaj b = new DMatrixRMaj(w.numRows, rank);
        DMatrixRMaj a = new DMatrixRMaj(rank, w.numCols);
        for (int h = 0; h < rank; h++) {
            double s = svd.singularValues()[h];
            for (int i = 0; i < w.numRows; i++) {
                b.set(i, h, svd.u().get(i, h) * s);
            }
            for (int j = 0; j < w.numCols; j++) {
                a.set(h, j, svd.v().get(j, h));
            }
        }
        double norm = Norms.frobenius(w.data);
        LowRankFactors f = new LowRankFactors(b, a, 0);
        double err = norm == 0 ? 0 : Norms.frobeniusOfDifference(w.data, f.product().data) / norm;
        return new LowRankFactors(b, a, err);
    }
}
