package org.rankfold.vbmf.tensor;

import org.ejml.data.DMatrixRMaj;

/**
 * The one unfold convention of the project: TensorLy's {@code unfold(T, n)} — move axis {@code n} to the
 * front, then reshape in C order to {@code [I_n, prod(other dims)]}. Writing the tensor as
 * {@code [B, I_n, A]} (B = product of the dimensions before n, A = product after), element
 * {@code T[b, i, a]} goes to row {@code i}, column {@code b * A + a}.
 *
 * <p>For a conv kernel {@code W[S, C, KH, KW]}: mode 0 is {@code [S, C*KH*KW]}, column
 * {@code c*KH*KW + p*KW + q} (identical to {@code W.reshape(S, -1)}); mode 1 is {@code [C, S*KH*KW]}, column
 * {@code s*KH*KW + p*KW + q}. Kolda and Bader (SIAM Review 2009) order the columns differently (first
 * remaining index fastest); the two differ only by a column permutation, so singular values, left
 * singular vectors, EVBMF results and Tucker factors are the same.
 */
public final class Unfolding {
    private Unfolding() {
    }

    /** The mode-{@code mode} unfolding {@code [I_mode, prod(other dims)]}; a new matrix. */
    public static DMatrixRMaj unfold(DenseTensor t, int mode) {
        checkMode(t, mode);
        int before = t.sizeBefore(mode);
        int rows = t.dim(mode);
        int after = t.sizeAfter(mode);
        int cols = before * after;
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        double[] src = t.values();
        double[] dst = m.data;
        // b over the leading dimensions, i over the mode, a over the trailing dimensions (contiguous runs)
        for (int b = 0; b < before; b++) {
            for (int i = 0; i < rows; i++) {
                System.arraycopy(src, (b * rows + i) * after, dst, i * cols + b * after, after);
            }
        }
        return m;
    }

    /** Inverse of {@link #unfold}: the tensor of {@code shape} whose mode-{@code mode} unfolding is {@code m}. */
    public static DenseTensor fold(DMatrixRMaj m, int mode, int... shape) {
        DenseTensor out = DenseTensor.zeros(shape);
        checkMode(out, mode);
        int before = out.sizeBefore(mode);
        int rows = out.dim(mode);
        int after = out.sizeAfter(mode);
        if (m.numRows != rows || m.numCols != before * after) {
            throw new IllegalArgumentException("a mode-" + mode + " unfolding of " + java.util.Arrays.toString(shape)
                    + " is " + rows + " x " + (before * after) + ", got " + m.numRows + " x " + m.numCols);
        }
        double[] dst = out.values();
        for (int b = 0; b < before; b++) {
            for (int i = 0; i < rows; i++) {
                System.arraycopy(m.data, i * m.numCols + b * after, dst, (b * rows + i) * after, after);
            }
        }
        return out;
    }

    static void checkMode(DenseTensor t, int mode) {
        if (mode < 0 || mode >= t.order()) {
            throw new IllegalArgumentException("mode " + mode + " out of range for a tensor of order " + t.order());
        }
    }
}
