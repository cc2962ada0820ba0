package org.rankfold.vbmf.tucker;

import java.util.Arrays;

import org.ejml.data.DMatrixRMaj;
import org.rankfold.vbmf.linalg.SortedSvd;
import org.rankfold.vbmf.tensor.DenseTensor;
import org.rankfold.vbmf.tensor.ModeProduct;
import org.rankfold.vbmf.tensor.Norms;
import org.rankfold.vbmf.tensor.Unfolding;

/**
 * Tucker-2 (partial Tucker on modes 0 and 1) of a kernel {@code W [S, C, KH, KW]} (any order &gt;= 2):
 * {@code W ≈ core x_0 U0 x_1 U1}, as in Kim et al. (ICLR 2016) and TensorLy's {@code partial_tucker}.
 *
 * <ol>
 * <li>HOSVD: {@code U0} = leading {@code R0} left singular vectors of the mode-0 unfolding,
 * {@code U1} likewise for mode 1 (De Lathauwer, De Moor, Vandewalle, SIMAX 2000).</li>
 * <li>HOOI sweeps (De Lathauwer et al., SIMAX 2000b): {@code U0} from the mode-0 unfolding of
 * {@code W x_1 U1^T}, then {@code U1} from the mode-1 unfolding of {@code W x_0 U0^T}; each sweep cannot
 * lower the fit {@code ‖core‖²}, so HOOI is never worse than HOSVD.</li>
 * <li>{@code core = W x_0 U0^T x_1 U1^T}.</li>
 * </ol>
 * Every factor gets TensorLy's sign rule (largest-magnitude entry of each column positive), so factors
 * and core are deterministic and comparable with TensorLy's. Factors are unique only up to rotation within
 * equal singular values: compare errors and projectors {@code U U^T}.
 */
public final class Tucker2 {
    private Tucker2() {
    }

    /**
     * Decomposes {@code kernel} (not modified) at ranks {@code (R0, R1)}, {@code 1 <= R0 <= S},
     * {@code 1 <= R1 <= C}. A rank above the rank of its unfolding is allowed: the extra factor columns then
     * span an arbitrary part of the null space (the error is still exact).
     */
    public static Tucker2Result decompose(DenseTensor kernel, int rankOut, int rankIn, Tucker2Options options) {
        validate(kernel, rankOut, rankIn);
        double norm = kernel.frobeniusNorm();
        double normSq = norm * norm;

        DMatrixRMaj u0 = leading(Unfolding.unfold(kernel, 0), rankOut);
        DMatrixRMaj u1 = leading(Unfolding.unfold(kernel, 1), rankIn);
        DenseTensor core = project(kernel, u0, u1);
        double hosvdError = relativeError(kernel, core, u0, u1, norm);

        double[] history = new double[options.maxIterations()];
        int sweeps = 0;
        double previousFit = sumSquares(core);
        while (sweeps < options.maxIterations()) {
            u0 = leading(Unfolding.unfold(ModeProduct.timesTransposed(kernel, u1, 1), 0), rankOut);
            DenseTensor projected0 = ModeProduct.timesTransposed(kernel, u0, 0);
            u1 = leading(Unfolding.unfold(projected0, 1), rankIn);
            // core = (W x_0 U0^T) x_1 U1^T, reusing the mode-0 projection the U1 update needed
            core = ModeProduct.timesTransposed(projected0, u1, 1);
            double fit = sumSquares(core);
            history[sweeps] = norm == 0 ? 0 : Math.sqrt(Math.abs(normSq - fit)) / norm;
            sweeps++;
            boolean stop = switch (options.stopping()) {
                case TENSORLY_ERROR_CHANGE -> sweeps >= 3
                        && Math.abs(history[sweeps - 2] - history[sweeps - 1]) < options.tolerance();
                case FIT_CHANGE -> sweeps >= 2 && fit - previousFit <= options.tolerance() * normSq;
            };
            previousFit = fit;
            if (stop) {
                break;
            }
        }
        double error = sweeps == 0 ? hosvdError : relativeError(kernel, core, u0, u1, norm);
        return new Tucker2Result(kernel.shape(), core, u0, u1, error, hosvdError, sweeps,
                Arrays.copyOf(history, sweeps));
    }

    /** Same as {@link #decompose(DenseTensor, int, int, Tucker2Options)} with {@code ranks = {R0, R1}}. */
    public static Tucker2Result decompose(DenseTensor kernel, int[] ranks, Tucker2Options options) {
        if (ranks == null || ranks.length != 2) {
            throw new IllegalArgumentException("Tucker-2 takes two ranks {R0, R1}, got "
                    + (ranks == null ? "null" : Arrays.toString(ranks)));
        }
        return decompose(kernel, ranks[0], ranks[1], options);
    }

    /** Decomposes with TensorLy's stopping rule ({@link Tucker2Options#tensorly()}). */
    public static Tucker2Result decompose(DenseTensor kernel, int rankOut, int rankIn) {
        return decompose(kernel, rankOut, rankIn, Tucker2Options.tensorly());
    }

    private static void validate(DenseTensor kernel, int rankOut, int rankIn) {
        if (kernel.order() < 2) {
            throw new IllegalArgumentException("Tucker-2 needs a tensor of order >= 2, got shape "
                    + Arrays.toString(kernel.shape()));
        }
        if (rankOut < 1 || rankOut > kernel.dim(0)) {
            throw new IllegalArgumentException("R0 must be in [1, " + kernel.dim(0) + "] (output channels), got "
                    + rankOut);
        }
        if (rankIn < 1 || rankIn > kernel.dim(1)) {
            throw new IllegalArgumentException("R1 must be in [1, " + kernel.dim(1) + "] (input channels), got "
                    + rankIn);
        }
        int bad = kernel.firstNonFinite();
        if (bad >= 0) {
            throw new IllegalArgumentException("kernel has a non-finite value " + kernel.values()[bad]
                    + " at flat index " + bad);
        }
    }

    /** Leading {@code rank} left singular vectors with TensorLy's sign rule. */
    private static DMatrixRMaj leading(DMatrixRMaj unfolding, int rank) {
        return SortedSvd.flipSignsInPlace(SortedSvd.leftVectors(unfolding, rank).u());
    }

    /** {@code W x_0 U0^T x_1 U1^T}. */
    static DenseTensor project(DenseTensor w, DMatrixRMaj u0, DMatrixRMaj u1) {
        return ModeProduct.timesTransposed(ModeProduct.timesTransposed(w, u0, 0), u1, 1);
    }

    private static double relativeError(DenseTensor w, DenseTensor core, DMatrixRMaj u0, DMatrixRMaj u1,
                                        double norm) {
        if (norm == 0) {
            return 0;
        }
        DenseTensor hat = ModeProduct.times(ModeProduct.times(core, u0, 0), u1, 1);
        return Norms.frobeniusOfDifference(w.values(), hat.values()) / norm;
    }

    private static double sumSquares(DenseTensor t) {
        double n = t.frobeniusNorm();
        return n * n;
    }
}
