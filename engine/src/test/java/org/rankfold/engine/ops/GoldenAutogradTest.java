package org.rankfold.engine.ops;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.engine.testing.GoldenCase;
import org.rankfold.kernels.testing.SeededTest;

/** The linear, relu and cross-entropy cases of the PyTorch golden data (float32 engine vs float64 keys). */
class GoldenAutogradTest extends SeededTest {

    @Test
    void linear() {
        GoldenCase g = GoldenCase.load("linear");
        Tensor x = g.tensor("x").requiresGrad(true);
        Tensor w = g.tensor("w").requiresGrad(true);
        Tensor b = g.tensor("b").requiresGrad(true);
        Tensor y = MatMul.matmul(x, false, w, true).add(b);
        g.assertMatches("y", y.data());
        y.backward(g.tensor("gy").data());
        g.assertMatches("grad_x", x.grad());
        g.assertMatches("grad_w", w.grad());
        g.assertMatches("grad_b", b.grad());
    }

    @Test
    void relu() {
        GoldenCase g = GoldenCase.load("relu");
        Tensor x = g.tensor("x").requiresGrad(true);
        Tensor y = x.relu();
        g.assertMatches("y", y.data());
        y.backward(g.tensor("gy").data());
        g.assertMatches("grad_x", x.grad());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cross_entropy", "cross_entropy_large_logits"})
    void crossEntropy(String name) {
        GoldenCase g = GoldenCase.load(name);
        Tensor logits = g.tensor("logits").requiresGrad(true);
        Tensor logp = logits.logSoftmax();
        g.assertMatches("log_softmax", logp.data());
        Tensor loss = CrossEntropy.nllLoss(logp, g.labels("labels"));
        g.assertMatches("loss", loss.data());
        loss.backward();
        g.assertMatches("grad_logits", logits.grad());
    }
}
