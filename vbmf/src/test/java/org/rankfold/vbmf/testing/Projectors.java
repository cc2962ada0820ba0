package org.rankfold.vbmf.testing;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/** Sign- and rotation-invariant views of factor matrices. */
public final class Projectors {
    private Projectors() {
    }

    /** {@code U U^T} for {@code U [n, r]}: the orthogonal projector onto the column space. */
    public static double[] of(DMatrixRMaj u) {
        DMatrixRMaj p = new DMatrixRMaj(u.numRows, u.numRows);
        CommonOps_DDRM.multTransB(u, u, p);
        return p.data;
    }

    /** Max |(U^T U - I)_ij|: how far the columns are from orthonormal. */
    public static double orthonormalityError(DMatrixRMaj u) {
        DMatrixRMaj g = new DMatrixRMaj(u.numCols, u.numCols);
        CommonOps_DDRM.multTransA(u, u, g);
        double worst = 0;
        for (int i = 0; i < g.numRows; i++) {
            for (int j = 0; j < g.numCols; j++) {
                worst = Math.max(worst, Math.abs(g.get(i, j) - (i == j ? 1 : 0)));
            }
        }
        return worst;
    }
}
