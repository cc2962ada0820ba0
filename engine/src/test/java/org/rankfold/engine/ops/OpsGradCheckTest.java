package org.rankfold.engine.ops;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.engine.testing.GradCheck;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.rankfold.engine.testing.EngineTolerances.FD_REL;
import static org.rankfold.engine.testing.EngineTolerances.FD_STEP;

/** Every basic op's gradient against central finite differences. */
class OpsGradCheckTest extends SeededTest {

    private Tensor u(SplittableRandom rng, int... shape) {
        return Tensor.uniform(rng, -1, 1, shape);
    }

    @Test
    void addSubMulSameShapeAndBroadcast() {
        SplittableRandom rng = random();
        GradCheck.assertGradients("add", t -> t[0].add(t[1]), new Tensor[] {u(rng, 3, 4), u(rng, 3, 4)}, rng, FD_STEP, FD_REL);
        GradCheck.assertGradients("add bias", t -> t[0].add(t[1]), new Tensor[] {u(rng, 2, 3, 4), u(rng, 4)}, rng, FD_STEP, FD_REL);
        GradCheck.assertGradients("sub bias", t -> t[0].sub(t[1]), new Tensor[] {u(rng, 5, 3), u(rng, 3)}, rng, FD_STEP, FD_REL);
        GradCheck.assertGradients("mul", t -> t[0].mul(t[1]), new Tensor[] {u(rng, 3, 4), u(rng, 3, 4)}, rng, FD_STEP, FD_REL);
        GradCheck.assertGradients("mul bias", t -> t[0].mul(t[1]), new Tensor[] {u(rng, 4, 2, 3), u(rng, 2, 3)}, rng, FD_STEP, FD_REL);
        GradCheck.assertGradients("pow", t -> ElementwiseOps.pow(t[0], -0.5), new Tensor[] {Tensor.uniform(rng, 0.5f, 2f, 5)}, rng, 1e-3, FD_REL);
        GradCheck.assertGradients("scale", t -> t[0].scale(-1.5f), new Tensor[] {u(rng, 7)}, rng, FD_STEP, FD_REL);
    }

    @Test
    void broadcastRejectsMismatchedShapes() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(3, 4).add(Tensor.zeros(3)));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(4).mul(Tensor.zeros(2, 4)));
    }

    @Test
    void matmulAllTransposeVariants() {
        SplittableRandom rng = random();
        int m = 3;
        int k = 5;
        int n = 4;
        GradCheck.assertGradients("NN", t -> MatMul.matmul(t[0], false, t[1], false), new Tensor[] {u(rng, m, k), u(rng, k, n)}, rng, FD_STEP, FD_REL);
        GradCheck.assertGradients("NT", t -> MatMul.matmul(t[0], false, t[1], true), new Tensor[] {u(rng, m, k), u(rng, n, k)}, rng, FD_STEP, FD_REL);
        GradCheck.assertGradients("TN", t -> MatMul.matmul(t[0], true, t[1], false), new Tensor[] {u(rng, k, m), u(rng, k, n)}, rng, FD_STEP, FD_REL);
        GradCheck.assertGradients("TT", t -> MatMul.matmul(t[0], true, t[1], true), new Tensor[] {u(rng, k, m), u(rng, n, k)}, rng, FD_STEP, FD_REL);
    }

    @Test
    void matmulValues() {
        Tensor a = Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.fromArray(new float[] {1, 0, 0, 1, 1, 1}, 3, 2);
        assertArrayEquals(new float[] {4, 5, 10, 11}, a.matmul(b).data());
        assertArrayEquals(new float[] {14, 32, 32, 77}, MatMul.matmul(a, false, a, true).data());
        assertThrows(IllegalArgumentException.class, () -> a.matmul(a));
    }

    @Test
    void reductionsViewsAndTranspose() {
        SplittableRandom rng = random();
        GradCheck.assertGradients("sum", t -> t[0].sum(), new Tensor[] {u(rng, 3, 4)}, rng, FD_STEP, FD_REL);
        GradCheck.assertGradients("mean", t -> t[0].mean(), new Tensor[] {u(rng, 3, 4)}, rng, FD_STEP, FD_REL);
        GradCheck.assertGradients("reshape", t -> t[0].reshape(4, -1).mul(t[0].reshape(4, 3)), new Tensor[] {u(rng, 2, 6)}, rng, FD_STEP, FD_REL);
        GradCheck.assertGradients("transpose", t -> t[0].transpose().matmul(t[1]), new Tensor[] {u(rng, 3, 4), u(rng, 3, 2)}, rng, FD_STEP, FD_REL);
        assertArrayEquals(new float[] {1, 3, 2, 4}, Tensor.fromArray(new float[] {1, 2, 3, 4}, 2, 2).transpose().data());
    }

    @Test
    void reluAwayFromTheKink() {
        SplittableRandom rng = random();
        Tensor x = u(rng, 4, 5);
        for (int i = 0; i < x.size(); i++) {
            // keep |x| > 2h so the finite difference never straddles 0
            float v = x.data()[i];
            x.data()[i] = v >= 0 ? v + 0.05f : v - 0.05f;
        }
        GradCheck.assertGradients("relu", t -> t[0].relu(), new Tensor[] {x}, rng, FD_STEP, FD_REL);
    }

    @Test
    void logSoftmaxAndCrossEntropy() {
        SplittableRandom rng = random();
        GradCheck.assertGradients("logSoftmax", t -> t[0].logSoftmax(), new Tensor[] {u(rng, 3, 5)}, rng, FD_STEP, FD_REL);
        int[] labels = {0, 4, 2};
        GradCheck.assertGradients("crossEntropy", t -> t[0].scale(3f).crossEntropy(labels), new Tensor[] {u(rng, 3, 5)}, rng, FD_STEP, FD_REL);
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).crossEntropy(new int[] {0, 3}));
    }
}
