package org.rankfold.vbmf.tensor;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Mode-n products (Kolda and Bader, SIAM Review 2009, section 2.5): {@code Y = T x_n M} with
 * {@code M} of shape {@code [J, I_n]} has dimension {@code J} in mode {@code n} and
 * {@code Y[b, j, a] = sum_i M[j, i] * T[b, i, a]} (T written as {@code [B, I_n, A]}). Equivalently
 * {@code unfold(Y, n) = M * unfold(T, n)}.
 */
public final class ModeProduct {
    private ModeProduct() {
    }

    /** {@code T x_n M}, {@code M} is {@code [J, I_n]}; returns a new tensor. */
    public static DenseTensor times(DenseTensor t, DMatrixRMaj m, int mode) {
        return product(t, m, mode, false);
    }

    /**
     * {@code T x_n U^T} for a factor {@code U} of shape {@code [I_n, R]} (projection onto the factor's columns);
     * the result has dimension {@code R} in mode {@code n}. Avoids forming the transpose.
     */
    public static DenseTensor timesTransposed(DenseTensor t, DMatrixRMaj u, int mode) {
        return product(t, u, mode, true);
    }

    private static DenseTensor product(DenseTensor t, DMatrixRMaj m, int mode, boolean transposed) {
        Unfolding.checkMode(t, mode);
        int in = t.dim(mode);
        int mIn = transposed ? m.numRows : m.numCols;
        int out = transposed ? m.numCols : m.numRows;
        if (mIn != in) {
            throw new IllegalArgumentException("mode-" + mode + " product: tensor has " + in + " there, matrix is "
                    + m.numRows + " x " + m.numCols + (transposed ? " (used transposed)" : ""));
        }
        int[] shape = t.shape();
        shape[mode] = out;
        // unfold(Y, n) = M * unfold(T, n): one GEMM with the long dimension prod(other dims) innermost, whatever
        // the mode (a direct loop over a mode with few trailing elements, e.g. the 3x3 of a kernel, is slow).
        // Mode 0 needs no copies: its unfolding is the C-order data itself (read only here).
        int rest = t.size() / in;
        DMatrixRMaj unfolded = mode == 0 ? DMatrixRMaj.wrap(in, rest, t.values()) : Unfolding.unfold(t, mode);
        DMatrixRMaj product = new DMatrixRMaj(out, rest);
        if (transposed) {
            CommonOps_DDRM.multTransA(m, unfolded, product);
        } else {
            CommonOps_DDRM.mult(m, unfolded, product);
        }
        return mode == 0 ? new DenseTensor(shape, product.data) : Unfolding.fold(product, mode, shape);
    }
}
