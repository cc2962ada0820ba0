package org.rankfold.vbmf.evbmf;

import org.ejml.data.DMatrixRMaj;
import org.rankfold.vbmf.linalg.SortedSvd;

/**
 * The SVD of Y seen in the orientation VBMF assumes: {@code L = min(rows, cols) <= M = max(rows, cols)}.
 * Transposing Y swaps U and V and leaves the singular values alone, so we decompose Y as it is and only
 * swap the roles of L and M.
 */
record Spectrum(int rows, int cols, int l, int m, boolean transposed, double[] s, DMatrixRMaj u, DMatrixRMaj v) {

    static Spectrum of(DMatrixRMaj y, boolean factors) {
        if (y.numRows < 1 || y.numCols < 1) {
            throw new IllegalArgumentException("matrix is empty: " + y.numRows + " x " + y.numCols);
        }
        for (int i = 0; i < y.data.length && i < y.numRows * y.numCols; i++) {
            if (!Double.isFinite(y.data[i])) {
                throw new IllegalArgumentException("matrix has a non-finite value " + y.data[i] + " at ["
                        + (i / y.numCols) + ", " + (i % y.numCols) + "]");
            }
        }
        int l = Math.min(y.numRows, y.numCols);
        int m = Math.max(y.numRows, y.numCols);
        boolean transposed = y.numRows > y.numCols;
        if (factors) {
            SortedSvd svd = SortedSvd.of(y);
            return new Spectrum(y.numRows, y.numCols, l, m, transposed, svd.singularValues(), svd.u(), svd.v());
        }
        return new Spectrum(y.numRows, y.numCols, l, m, transposed, SortedSvd.values(y), null, null);
    }

    double sumSquares() {
        double t = 0;
        for (double x : s) {
            t += x * x;
        }
        return t;
    }

    /** Number of singular values strictly above the threshold. */
    int countAbove(double threshold) {
        int pos = 0;
        while (pos < s.length && s[pos] > threshold) {
            pos++;
        }
        return pos;
    }

    DMatrixRMaj leadingU(int rank) {
        return u == null ? null : SortedSvd.leadingColumns(u, rank);
    }

    DMatrixRMaj leadingV(int rank) {
        return v == null ? null : SortedSvd.leadingColumns(v, rank);
    }
}
