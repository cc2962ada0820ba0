package org.rankfold.vbmf.linalg;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/** Left singular vectors of a wide matrix from the eigenvectors of its Gram matrix (see {@link SortedSvd#leftVectors}). */
final class GramEigen {
    private GramEigen() {
    }

    /** {@code A [m, n]}, {@code m <= n}; the {@code count} leading eigenvectors of {@code A A^T}, descending. */
    static SortedSvd leftVectors(DMatrixRMaj a, int count) {
        int m = a.numRows;
        DMatrixRMaj gram = new DMatrixRMaj(m, m);
        CommonOps_DDRM.multOuter(a, gram); // A A^T, computing one triangle
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(m, true, true);
        if (!eig.decompose(gram)) {
            throw new ArithmeticException("symmetric eigendecomposition did not converge on a " + m + " x " + m
                    + " Gram matrix");
        }
        double[] lambda = new double[m];
        for (int i = 0; i < m; i++) {
            lambda[i] = eig.getEigenvalue(i).real;
        }
        // EJML's order is arbitrary: sort by eigenvalue, descending (stable on ties)
        Integer[] order = IntStream.range(0, m).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> lambda[i]).reversed());
        DMatrixRMaj u = new DMatrixRMaj(m, count);
        double[] s = new double[m];
        for (int j = 0; j < m; j++) {
            s[j] = Math.sqrt(Math.max(0, lambda[order[j]]));
            if (j < count) {
                DMatrixRMaj vec = eig.getEigenVector(order[j]);
                // EJML normalises already; normalising again costs nothing and removes the dependence on it
                double scale = 1 / Math.sqrt(CommonOps_DDRM.dot(vec, vec));
                for (int r = 0; r < m; r++) {
                    u.data[r * count + j] = vec.data[r] * scale;
                }
            }
        }
        return new SortedSvd(s, u, null);
    }
}
