package org.rankfold.vbmf.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.rankfold.engine.nn.Conv2d;
import org.rankfold.engine.nn.FactorizedConv2d;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.vbmf.linalg.SortedSvd;

/**
 * Over-parameterization for training (DESIGN.md 2.1): every eligible {@link Conv2d} becomes a
 * {@link FactorizedConv2d} (1x1 C -> R_in, kxk R_in -> R_out with the conv's stride/padding/dilation, 1x1
 * R_out -> S with its bias) with {@code R_in = ceil(e*C)}, {@code R_out = ceil(e*S)}, {@code e >= 1}.
 * Eligible: kernels larger than 1x1 ({@code pointwise} adds 1x1 convolutions); the first convolution
 * (the input layer, C = 1 or 3) only with {@code first}.
 *
 * <p>Initialization: the 1x1 factors are random semi-orthogonal matrices (A with orthonormal columns
 * {@code A^T A = I_C} when {@code R_in >= C}, B with orthonormal rows {@code B B^T = I_S} when
 * {@code R_out >= S}; left singular vectors of a Gaussian matrix), the core gets PyTorch's default
 * initialization for its fan-in. The factors then start where orthogonal regularization wants them, and
 * {@code B G A} has the scale of a freshly initialized core.
 */
public final class OverParameterizer {
    private OverParameterizer() {
    }

    /**
     * Replaces the eligible convolutions of {@code model} in place; returns their names. Draws from
     * {@code rng} in model order, so the same seed gives the same factors.
     */
    public static List<String> expand(Module model, double e, boolean first, boolean pointwise, SplittableRandom rng) {
        if (!(e >= 1) || !Double.isFinite(e)) {
            throw new IllegalArgumentException("expansion factor must be >= 1, got " + e);
        }
        List<String> done = new ArrayList<>();
        boolean seenConv = false;
        for (Map.Entry<String, Module> entry : model.namedModules().entrySet()) {
            if (!(entry.getValue() instanceof Conv2d conv) || insideFactorized(model, entry.getKey())) {
                continue;
            }
            boolean isFirst = !seenConv;
            seenConv = true;
            boolean kxk = conv.spec().kernelH() * conv.spec().kernelW() > 1;
            if ((isFirst && !first) || (!kxk && !pointwise)) {
                continue;
            }
            int rIn = (int) Math.ceil(e * conv.inChannels() - 1e-9);
            int rOut = (int) Math.ceil(e * conv.outChannels() - 1e-9);
            FactorizedConv2d f = new FactorizedConv2d(conv.inChannels(), conv.outChannels(), conv.spec(), rIn, rOut,
                    conv.bias() != null, rng);
            semiOrthogonalInPlace(f.factorA().weight(), rng);
            semiOrthogonalInPlace(f.factorB().weight(), rng);
            ModelSurgery.replace(model, entry.getKey(), f);
            done.add(entry.getKey());
        }
        return done;
    }

    private static boolean insideFactorized(Module model, String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && model.namedModules().get(name.substring(0, dot)) instanceof FactorizedConv2d;
    }

    /**
     * Overwrites a (rows, cols, 1, 1) weight with a random matrix whose rows (rows &lt;= cols) or columns
     * (rows &gt; cols) are orthonormal.
     */
    static void semiOrthogonalInPlace(Tensor w, SplittableRandom rng) {
        int rows = w.dim(0);
        int cols = w.size() / rows;
        int tall = Math.max(rows, cols);
        int thin = Math.min(rows, cols);
        DMatrixRMaj g = new DMatrixRMaj(tall, thin);
        for (int i = 0; i < g.data.length; i++) {
            g.data[i] = gaussian(rng);
        }
        DMatrixRMaj q = SortedSvd.leftVectors(g, thin).u(); // [tall, thin], orthonormal columns
        float[] out = w.data();
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i * cols + j] = (float) (rows >= cols ? q.get(i, j) : q.get(j, i));
            }
        }
    }

    private static double gaussian(SplittableRandom rng) {
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
