package org.rankfold.vbmf.decompose;

import org.ejml.data.DMatrixRMaj;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.vbmf.tensor.DenseTensor;

/** Conversions between engine weights (float32, C order) and the float64 forms of the decompositions. */
final class WeightTensors {
    private WeightTensors() {
    }

    /** The weight as a float64 tensor of the same shape. */
    static DenseTensor toDense(Tensor w) {
        float[] src = w.data();
        double[] v = new double[src.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = src[i];
        }
        return new DenseTensor(w.shape(), v);
    }

    /** A (rows, cols) weight, or the (S, C) matrix of a (S, C, 1, 1) kernel, as a float64 matrix. */
    static DMatrixRMaj toMatrix(Tensor w) {
        int rows = w.dim(0);
        int cols = w.size() / rows;
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        float[] src = w.data();
        for (int i = 0; i < src.length; i++) {
            m.data[i] = src[i];
        }
        return m;
    }

    /** A float64 tensor rounded to float32 with the given shape (same element count). */
    static Tensor toTensor(DenseTensor t, int... shape) {
        return Tensor.wrap(toFloats(t.values()), shape);
    }

    /** {@code m} (transposed when asked) rounded to float32, shape (rows, cols) of the result. */
    static Tensor toTensor(DMatrixRMaj m, boolean transpose) {
        int rows = transpose ? m.numCols : m.numRows;
        int cols = transpose ? m.numRows : m.numCols;
        float[] out = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i * cols + j] = (float) (transpose ? m.get(j, i) : m.get(i, j));
            }
        }
        return Tensor.wrap(out, rows, cols);
    }

    private static float[] toFloats(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }
}
