package org.rankfold.vbmf.tucker;

import java.util.Arrays;

import org.ejml.data.DMatrixRMaj;
import org.rankfold.vbmf.tensor.DenseTensor;
import org.rankfold.vbmf.tensor.ModeProduct;

/**
 * A Tucker-2 decomposition {@code W ≈ core x_0 U0 x_1 U1} of a kernel {@code W [S, C, KH, KW]}:
 * {@code W_hat[a, b, p, q] = sum_{i,j} core[i, j, p, q] U0[a, i] U1[b, j]}.
 *
 * @param kernelShape        shape of W
 * @param core               {@code [R0, R1, KH, KW]}, {@code core = W x_0 U0^T x_1 U1^T}
 * @param u0                 {@code [S, R0]} output-channel factor, orthonormal columns
 * @param u1                 {@code [C, R1]} input-channel factor, orthonormal columns
 * @param relativeError      {@code ‖W - W_hat‖_F / ‖W‖_F}, computed from the reconstruction (0 for W = 0)
 * @param hosvdRelativeError the same for the truncated HOSVD that initialised HOOI
 * @param iterations         HOOI sweeps done
 * @param history            TensorLy's per-sweep error {@code sqrt(|‖W‖² - ‖core‖²|)/‖W‖}
 *                           (cancellation: ~1e-8 where the true error is ~0)
 */
public record Tucker2Result(int[] kernelShape, DenseTensor core, DMatrixRMaj u0, DMatrixRMaj u1,
                            double relativeError, double hosvdRelativeError, int iterations, double[] history) {

    public Tucker2Result {
        kernelShape = kernelShape.clone();
        history = history.clone();
    }

    @Override
    public int[] kernelShape() {
        return kernelShape.clone();
    }

    @Override
    public double[] history() {
        return history.clone();
    }

    public int rankOut() {
        return u0.numCols;
    }

    public int rankIn() {
        return u1.numCols;
    }

    /** {@code W_hat = core x_0 U0 x_1 U1}, shape of W. */
    public DenseTensor reconstruction() {
        return ModeProduct.times(ModeProduct.times(core, u0, 0), u1, 1);
    }

    /** Parameters of the factorized form: {@code S*R0 + C*R1 + |core|}. */
    public long parameterCount() {
        return (long) u0.numRows * u0.numCols + (long) u1.numRows * u1.numCols + core.size();
    }

    /** Parameters of the dense kernel: {@code prod(shape)}. */
    public long originalParameterCount() {
        long n = 1;
        for (int d : kernelShape) {
            n *= d;
        }
        return n;
    }

    @Override
    public String toString() {
        return "Tucker2Result(" + Arrays.toString(kernelShape) + " ranks (" + rankOut() + ", " + rankIn()
                + "), relative error " + relativeError + ", HOSVD " + hosvdRelativeError + ", " + iterations
                + " sweeps)";
    }
}
