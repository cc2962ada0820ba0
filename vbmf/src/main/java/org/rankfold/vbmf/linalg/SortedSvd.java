package org.rankfold.vbmf.linalg;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Singular value decomposition {@code A = U diag(s) V^T} in float64 (EJML), with the singular values
 * sorted in descending order together with their vectors (EJML returns them unsorted).
 *
 * @param singularValues {@code min(m, n)} values, descending
 * @param u              {@code [m, k]} left singular vectors as columns; {@code k = min(m, n)} (thin) or
 *                       {@code m} (full, the extra columns an orthonormal basis of the orthogonal complement)
 * @param v              {@code [n, min(m, n)]} right singular vectors as columns, or null when not asked for
 */
public record SortedSvd(double[] singularValues, DMatrixRMaj u, DMatrixRMaj v) {

    /** Thin SVD with both factors. {@code a} is not modified. */
    public static SortedSvd of(DMatrixRMaj a) {
        return compute(a, true, true, false);
    }

    /** Singular values only (descending). {@code a} is not modified. */
    public static double[] values(DMatrixRMaj a) {
        return compute(a, false, false, false).singularValues;
    }

    /**
     * The leading {@code count} left singular vectors {@code [m, count]} ({@code count <= m}). When
     * {@code count > min(m, n)} the columns beyond the rank of A span an arbitrary part of its left null
     * space (as LAPACK's full_matrices=True does). {@code v} is null.
     *
     * <p>For {@code m <= n} (every Tucker-2 unfolding of a kxk conv) they are the eigenvectors of the
     * {@code m x m} Gram matrix {@code A A^T}: {@code m^2 n} multiply-adds plus an {@code m x m} symmetric
     * eigenproblem, several times cheaper than the SVD of A. The subspace error is about
     * {@code eps * s_1^2 / (s_count^2 - s_(count+1)^2)}, negligible unless the spectrum is nearly degenerate
     * at {@code count} (where the subspace is ill-defined anyway); the singular values returned on this path
     * are {@code sqrt(eigenvalues)}, accurate only relative to {@code s_1} — use {@link #values} for exact ones.
     */
    public static SortedSvd leftVectors(DMatrixRMaj a, int count) {
        if (count < 1 || count > a.numRows) {
            throw new IllegalArgumentException("asked for " + count + " left singular vectors of a "
                    + a.numRows + " x " + a.numCols + " matrix");
        }
        if (a.numRows <= a.numCols) {
            return GramEigen.leftVectors(a, count);
        }
        boolean full = count > Math.min(a.numRows, a.numCols);
        SortedSvd svd = compute(a, true, false, full);
        return new SortedSvd(svd.singularValues, leadingColumns(svd.u, count), null);
    }

    private static SortedSvd compute(DMatrixRMaj a, boolean needU, boolean needV, boolean fullU) {
        int m = a.numRows;
        int n = a.numCols;
        int k = Math.min(m, n);
        SingularValueDecomposition_F64<DMatrixRMaj> dec =
                DecompositionFactory_DDRM.svd(m, n, needU, needV, !fullU);
        DMatrixRMaj work = dec.inputModified() ? a.copy() : a;
        if (!dec.decompose(work)) {
            throw new ArithmeticException("SVD did not converge on a " + m + " x " + n + " matrix");
        }
        double[] raw = dec.getSingularValues();
        int count = dec.numberOfSingularValues();
        // EJML's order is arbitrary: sort indices by value, descending; ties keep EJML's order (stable sort)
        Integer[] order = IntStream.range(0, count).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> raw[i]).reversed());
        double[] s = new double[k];
        for (int i = 0; i < k; i++) {
            s[i] = raw[order[i]];
        }
        DMatrixRMaj u = needU ? permuteColumns(dec.getU(null, false), order) : null;
        DMatrixRMaj v = needV ? leadingColumns(permuteColumns(dec.getV(null, false), order), k) : null;
        return new SortedSvd(s, u, v);
    }

    /** Columns reordered: column j of the result is column {@code order[j]} of {@code m}, then the rest in place. */
    private static DMatrixRMaj permuteColumns(DMatrixRMaj m, Integer[] order) {
        DMatrixRMaj out = new DMatrixRMaj(m.numRows, m.numCols);
        for (int j = 0; j < m.numCols; j++) {
            int src = j < order.length ? order[j] : j;
            for (int r = 0; r < m.numRows; r++) {
                out.data[r * m.numCols + j] = m.data[r * m.numCols + src];
            }
        }
        return out;
    }

    /** The first {@code count} columns of {@code m}, as a new matrix. */
    public static DMatrixRMaj leadingColumns(DMatrixRMaj m, int count) {
        if (count == m.numCols) {
            return m;
        }
        DMatrixRMaj out = new DMatrixRMaj(m.numRows, count);
        for (int r = 0; r < m.numRows; r++) {
            System.arraycopy(m.data, r * m.numCols, out.data, r * count, count);
        }
        return out;
    }

    /**
     * TensorLy's sign rule ({@code svd_flip}, u-based): in every column of {@code u} the entry of largest
     * magnitude (the first one on ties) is made positive. Modifies {@code u}; returns it.
     */
    public static DMatrixRMaj flipSignsInPlace(DMatrixRMaj u) {
        int rows = u.numRows;
        int cols = u.numCols;
        for (int j = 0; j < cols; j++) {
            int best = 0;
            double bestAbs = -1;
            for (int r = 0; r < rows; r++) {
                double v = Math.abs(u.data[r * cols + j]);
                if (v > bestAbs) {
                    bestAbs = v;
                    best = r;
                }
            }
            if (u.data[best * cols + j] < 0) {
                for (int r = 0; r < rows; r++) {
                    u.data[r * cols + j] = -u.data[r * cols + j];
                }
            }
        }
        return u;
    }
}
