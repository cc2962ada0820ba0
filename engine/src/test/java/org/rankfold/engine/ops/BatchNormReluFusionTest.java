package org.rankfold.engine.ops;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.engine.nn.BasicBlock;
import org.rankfold.engine.nn.BatchNorm2d;
import org.rankfold.engine.nn.LayerObserver;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Batch norm and ReLU as one op ({@link BatchNormOp#trainRelu}, used by {@code Sequential} and
 * {@code BasicBlock} through {@link BatchNorm2d#forwardRelu}): output, running statistics and the gradients
 * of x, gamma and beta equal {@code train(...).relu()} bit for bit; with an observer attached the layer runs
 * unfused so the observer sees the output before the ReLU. The residual add fused with its ReLU
 * ({@link ElementwiseOps#addRelu}) equals {@code add(...).relu()} the same way.
 */
class BatchNormReluFusionTest extends SeededTest {

    private record Run(float[] out, float[] dx, float[] dgamma, float[] dbeta, float[] runningMean, float[] runningVar) {
    }

    @Test
    void fusedEqualsUnfusedBitForBit() {
        SplittableRandom rng = random();
        Tensor x0 = Tensor.randn(rng, 4, 5, 6, 7);
        Tensor gamma0 = Tensor.uniform(rng, 0.5f, 1.5f, 5);
        Tensor beta0 = Tensor.uniform(rng, -0.5f, 0.5f, 5);
        float[] dout = Tensor.randn(rng, 4, 5, 6, 7).data();
        Run unfused = run(x0, gamma0, beta0, dout, false);
        Run fused = run(x0, gamma0, beta0, dout, true);
        assertArrayEquals(unfused.out, fused.out, "output");
        assertArrayEquals(unfused.dx, fused.dx, "dx");
        assertArrayEquals(unfused.dgamma, fused.dgamma, "dgamma");
        assertArrayEquals(unfused.dbeta, fused.dbeta, "dbeta");
        assertArrayEquals(unfused.runningMean, fused.runningMean, "running mean");
        assertArrayEquals(unfused.runningVar, fused.runningVar, "running var");
    }

    private static Run run(Tensor x0, Tensor gamma0, Tensor beta0, float[] dout, boolean fused) {
        Tensor x = x0.copy().requiresGrad(true);
        Tensor gamma = gamma0.copy().requiresGrad(true);
        Tensor beta = beta0.copy().requiresGrad(true);
        Tensor rm = Tensor.zeros(5);
        Tensor rv = Tensor.ones(5);
        Tensor y = fused ? BatchNormOp.trainRelu(x, gamma, beta, rm, rv, 0.1, 1e-5)
                : BatchNormOp.train(x, gamma, beta, rm, rv, 0.1, 1e-5).relu();
        y.backward(dout.clone());
        return new Run(y.data().clone(), x.grad().clone(), gamma.grad().clone(), beta.grad().clone(),
                rm.data().clone(), rv.data().clone());
    }

    @Test
    void evalFusedEqualsUnfusedBitForBit() {
        SplittableRandom rng = random();
        Tensor x0 = Tensor.randn(rng, 3, 4, 5, 5);
        Tensor gamma0 = Tensor.uniform(rng, 0.5f, 1.5f, 4);
        Tensor beta0 = Tensor.uniform(rng, -0.5f, 0.5f, 4);
        Tensor rm = Tensor.uniform(rng, -0.2f, 0.2f, 4);
        Tensor rv = Tensor.uniform(rng, 0.5f, 2f, 4);
        float[] dout = Tensor.randn(rng, 3, 4, 5, 5).data();
        float[][] outs = new float[2][];
        float[][] grads = new float[6][];
        for (int fused = 0; fused < 2; fused++) {
            Tensor x = x0.copy().requiresGrad(true);
            Tensor gamma = gamma0.copy().requiresGrad(true);
            Tensor beta = beta0.copy().requiresGrad(true);
            Tensor y = fused == 1 ? BatchNormOp.evalRelu(x, gamma, beta, rm, rv, 1e-5)
                    : BatchNormOp.eval(x, gamma, beta, rm, rv, 1e-5).relu();
            y.backward(dout.clone());
            outs[fused] = y.data().clone();
            grads[3 * fused] = x.grad().clone();
            grads[3 * fused + 1] = gamma.grad().clone();
            grads[3 * fused + 2] = beta.grad().clone();
        }
        assertArrayEquals(outs[0], outs[1], "output");
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(grads[i], grads[3 + i], "gradient " + i);
        }
    }

    @Test
    void addReluEqualsAddThenReluWithGradients() {
        SplittableRandom rng = random();
        Tensor a0 = Tensor.randn(rng, 3, 4, 5);
        Tensor b0 = Tensor.randn(rng, 3, 4, 5);
        float[] dout = Tensor.randn(rng, 3, 4, 5).data();
        float[][] results = new float[2][];
        float[][] ga = new float[2][];
        float[][] gb = new float[2][];
        for (int fused = 0; fused < 2; fused++) {
            Tensor a = a0.copy().requiresGrad(true);
            Tensor b = b0.copy().requiresGrad(true);
            Tensor y = fused == 1 ? ElementwiseOps.addRelu(a, b) : a.add(b).relu();
            y.backward(dout.clone());
            results[fused] = y.data().clone();
            ga[fused] = a.grad().clone();
            gb[fused] = b.grad().clone();
        }
        assertArrayEquals(results[0], results[1], "output");
        assertArrayEquals(ga[0], ga[1], "grad of a");
        assertArrayEquals(gb[0], gb[1], "grad of b");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ElementwiseOps.addRelu(Tensor.zeros(3, 4), Tensor.zeros(4)));
    }

    @Test
    void anObservedLayerRunsUnfusedAndSeesTheOutputBeforeTheRelu() {
        SplittableRandom rng = random();
        BatchNorm2d bn = new BatchNorm2d(3);
        Tensor[] seen = new Tensor[1];
        LayerObserver observer = (name, layer, in, out) -> seen[0] = out;
        bn.observe(observer);
        Tensor x = Tensor.randn(rng, 2, 3, 4, 4);
        Tensor y = bn.forwardRelu(x);
        long negatives = 0;
        for (float v : seen[0].data()) {
            negatives += v < 0 ? 1 : 0;
        }
        assertEquals(true, negatives > 0, "the observer saw batch norm's output, negatives included");
        for (int i = 0; i < y.size(); i++) {
            assertEquals(Math.max(0f, seen[0].data()[i]), y.data()[i], "relu of the observed output at " + i);
        }
    }

    @Test
    void basicBlockGradientsAreTheSameWithAndWithoutAnObserver() {
        // an observer that does nothing switches every layer to the unfused path: same bits expected
        float[][] plain = blockGradients(null);
        float[][] observed = blockGradients((name, layer, in, out) -> { });
        for (int i = 0; i < plain.length; i++) {
            assertArrayEquals(plain[i], observed[i], "parameter " + i);
        }
    }

    private float[][] blockGradients(LayerObserver observer) {
        SplittableRandom rng = random();
        BasicBlock block = new BasicBlock(3, 4, 2, rng);
        if (observer != null) {
            block.observe(observer);
        }
        Tensor x = Tensor.randn(rng, 2, 3, 6, 6).requiresGrad(true);
        Tensor y = block.forward(x);
        y.backward(Tensor.randn(rng, y.shape()).data());
        float[][] grads = new float[block.parameters().size() + 1][];
        for (int i = 0; i < block.parameters().size(); i++) {
            grads[i] = block.parameters().get(i).grad().clone();
        }
        grads[grads.length - 1] = x.grad().clone();
        return grads;
    }
}
