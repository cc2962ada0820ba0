package org.rankfold.vbmf.decompose;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * A two-factor form {@code W ≈ B A} of a matrix {@code W [out, in]} (a linear weight or a 1x1 conv):
 * {@code A [R, in]} runs first, {@code B [out, R]} second.
 *
 * @param outFactor     {@code B = U_R diag(s_R)}, {@code [out, R]}
 * @param inFactor      {@code A = V_R^T}, {@code [R, in]}, orthonormal rows
 * @param relativeError {@code ‖W - B A‖_F / ‖W‖_F} (0 for W = 0)
 */
public record LowRankFactors(DMatrixRMaj outFactor, DMatrixRMaj inFactor, double relativeError) {

    public int rank() {
        return inFactor.numRows;
    }

    /** {@code B A}, {@code [out, in]}. */
    public DMatrixRMaj product() {
        DMatrixRMaj w = new DMatrixRMaj(outFactor.numRows, inFactor.numCols);
        CommonOps_DDRM.mult(outFactor, inFactor, w);
        return w;
    }
}
