package org.rankfold.engine.nn;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.engine.ops.BatchNormOp;
import org.rankfold.engine.ops.Conv2dOp;
import org.rankfold.engine.ops.ConvSpec;
import org.rankfold.engine.ops.PoolOps;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.engine.testing.GradCheck;
import org.rankfold.kernels.testing.SeededTest;

import static org.rankfold.engine.testing.EngineTolerances.FD_REL;
import static org.rankfold.engine.testing.EngineTolerances.FD_REL_BATCH_NORM;
import static org.rankfold.engine.testing.EngineTolerances.FD_STEP;

/** Layer ops by finite differences, including cases the golden data lacks (dilation, eval-mode BN). */
class LayerGradCheckTest extends SeededTest {

    private static Tensor u(SplittableRandom rng, int... shape) {
        return Tensor.uniform(rng, -1, 1, shape);
    }

    @Test
    void convolutionWithStridePaddingAndDilation() {
        SplittableRandom rng = random();
        ConvSpec spec = new ConvSpec(3, 2, 2, 1, 1, 0, 2, 1);
        GradCheck.assertGradients("conv dilated", t -> Conv2dOp.forward(t[0], t[1], t[2], spec),
                new Tensor[] {u(rng, 2, 3, 7, 6), u(rng, 4, 3, 3, 2), u(rng, 4)}, rng, FD_STEP, FD_REL);
        ConvSpec pointwise = ConvSpec.square(1, 1, 0, 1);
        GradCheck.assertGradients("conv 1x1", t -> Conv2dOp.forward(t[0], t[1], null, pointwise),
                new Tensor[] {u(rng, 2, 3, 4, 5), u(rng, 5, 3, 1, 1)}, rng, FD_STEP, FD_REL);
        ConvSpec strided1x1 = ConvSpec.square(1, 2, 0, 1);
        GradCheck.assertGradients("conv 1x1 stride 2", t -> Conv2dOp.forward(t[0], t[1], null, strided1x1),
                new Tensor[] {u(rng, 2, 3, 5, 5), u(rng, 2, 3, 1, 1)}, rng, FD_STEP, FD_REL);
    }

    @Test
    void batchNormTrainingAndEvaluation() {
        SplittableRandom rng = random();
        Tensor rm = Tensor.zeros(3);
        Tensor rv = Tensor.ones(3);
        GradCheck.assertGradients("bn train", t -> BatchNormOp.train(t[0], t[1], t[2], rm.copy(), rv.copy(), 0.1, 1e-5),
                new Tensor[] {u(rng, 4, 3, 2, 3), u(rng, 3), u(rng, 3)}, rng, FD_STEP, FD_REL_BATCH_NORM);
        Tensor mean = u(rng, 3);
        Tensor var = Tensor.uniform(rng, 0.5f, 2f, 3);
        GradCheck.assertGradients("bn eval", t -> BatchNormOp.eval(t[0], t[1], t[2], mean, var, 1e-5),
                new Tensor[] {u(rng, 2, 3, 2, 2), u(rng, 3), u(rng, 3)}, rng, FD_STEP, FD_REL);
    }

    @Test
    void poolingAwayFromTies() {
        SplittableRandom rng = random();
        // distinct values spaced by more than 2h so no window's maximum changes under the perturbation
        int n = 2 * 2 * 5 * 6;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = 0.05f * i - 3f;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            float tmp = v[i];
            v[i] = v[j];
            v[j] = tmp;
        }
        Tensor x = Tensor.fromArray(v, 2, 2, 5, 6);
        GradCheck.assertGradients("maxpool", t -> PoolOps.maxPool(t[0], ConvSpec.square(3, 2, 1, 1)),
                new Tensor[] {x}, rng, 1e-3, FD_REL);
        GradCheck.assertGradients("avgpool exc", t -> PoolOps.avgPool(t[0], ConvSpec.square(3, 2, 1, 1), false),
                new Tensor[] {u(rng, 2, 2, 5, 6)}, rng, FD_STEP, FD_REL);
        GradCheck.assertGradients("gap", t -> PoolOps.globalAvgPool(t[0]), new Tensor[] {u(rng, 2, 3, 4, 5)}, rng,
                FD_STEP, FD_REL);
    }

    @Test
    void factorizedConvolutionAndResidualBlock() {
        SplittableRandom rng = random();
        FactorizedConv2d f = new FactorizedConv2d(3, 4, ConvSpec.square(3, 2, 1, 1), 5, 2, true, rng);
        Tensor[] inputs = new Tensor[] {u(rng, 2, 3, 5, 5), f.factorA().weight(), f.core().weight(), f.factorB().weight(),
            f.factorB().bias()};
        GradCheck.assertGradients("factorized", t -> f.forward(t[0]), inputs, rng, FD_STEP, FD_REL);

        BasicBlock block = new BasicBlock(2, 3, 2, rng);
        block.eval(); // evaluation mode keeps the block smooth in its inputs (no batch statistics)
        GradCheck.assertGradients("basic block", t -> block.forward(t[0]), new Tensor[] {u(rng, 2, 2, 6, 6)}, rng,
                1e-3, 2e-2);
    }
}
