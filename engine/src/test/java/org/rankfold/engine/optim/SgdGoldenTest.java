package org.rankfold.engine.optim;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.rankfold.engine.ops.MatMul;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.engine.testing.GoldenCase;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Three steps of torch.optim.SGD(lr, momentum 0.9, weight decay 5e-4) from {@code grad/sgd_momentum.npz}. */
class SgdGoldenTest extends SeededTest {

    private static Sgd sgd(GoldenCase g, Tensor w, Tensor b) {
        assertEquals(0, g.integer("nesterov"));
        return new Sgd(List.of(w, b), g.scalar("lr"), g.scalar("momentum"), g.scalar("dampening"),
                g.scalar("weight_decay"), false);
    }

    @Test
    void partAExternalGradients() {
        GoldenCase g = GoldenCase.load("sgd_momentum");
        Tensor w = g.tensor("w_step0").requiresGrad(true);
        Tensor b = g.tensor("b_step0").requiresGrad(true);
        Sgd opt = sgd(g, w, b);
        assertNull(opt.momentumBuffer(w));
        int steps = g.integer("steps");
        for (int t = 1; t <= steps; t++) {
            opt.zeroGrad();
            System.arraycopy(g.tensor("A_w_gext" + t).data(), 0, w.gradForAccumulation(), 0, w.size());
            System.arraycopy(g.tensor("A_b_gext" + t).data(), 0, b.gradForAccumulation(), 0, b.size());
            opt.step();
            g.assertMatches("A_w_step" + t, w.data());
            g.assertMatches("A_b_step" + t, b.data());
            g.assertMatches("A_w_buf" + t, opt.momentumBuffer(w));
            g.assertMatches("A_b_buf" + t, opt.momentumBuffer(b));
        }
    }

    @Test
    void partBGradientsOfALinearClassifier() {
        GoldenCase g = GoldenCase.load("sgd_momentum");
        Tensor w = g.tensor("w_step0").requiresGrad(true);
        Tensor b = g.tensor("b_step0").requiresGrad(true);
        Tensor x = g.tensor("B_x");
        int[] labels = g.labels("B_labels");
        Sgd opt = sgd(g, w, b);
        int steps = g.integer("steps");
        for (int t = 1; t <= steps; t++) {
            opt.zeroGrad();
            Tensor loss = MatMul.matmul(x, false, w, true).add(b).crossEntropy(labels);
            g.assertMatches("B_loss" + t, loss.data());
            loss.backward();
            g.assertMatches("B_w_grad" + t, w.grad());
            g.assertMatches("B_b_grad" + t, b.grad());
            opt.step();
            g.assertMatches("B_w_step" + t, w.data());
            g.assertMatches("B_b_step" + t, b.data());
            g.assertMatches("B_w_buf" + t, opt.momentumBuffer(w));
            g.assertMatches("B_b_buf" + t, opt.momentumBuffer(b));
        }
    }
}
