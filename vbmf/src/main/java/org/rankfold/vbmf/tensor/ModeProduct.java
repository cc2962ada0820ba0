package org.rankfold.vbmf.tensor;

import org.ejml.data.DMatrixRMaj;

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
        int before = t.sizeBefore(mode);
        int after = t.sizeAfter(mode);
        int[] shape = t.shape();
        shape[mode] = out;
        DenseTensor y = DenseTensor.zeros(shape);
        double[] src = t.values();
        double[] dst = y.values();
        double[] md = m.data;
        int mCols = m.numCols;
        // b over leading dims; j over output rows; i over the contracted mode; a over contiguous trailing dims
        for (int b = 0; b < before; b++) {
            int srcBase = b * in * after;
            int dstBase = b * out * after;
            for (int j = 0; j < out; j++) {
                int dstRow = dstBase + j * after;
                for (int i = 0; i < in; i++) {
                    double w = transposed ? md[i * mCols + j] : md[j * mCols + i];
                    int srcRow = srcBase + i * after;
                    for (int a = 0; a < after; a++) {
                        dst[dstRow + a] += w * src[srcRow + a];
                    }
                }
            }
        }
        return y;
    }
}
