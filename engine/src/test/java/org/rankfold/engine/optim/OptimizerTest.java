package org.rankfold.engine.optim;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Hand-computed steps of SGD variants and Adam. */
class OptimizerTest extends SeededTest {

    private static Tensor param(float... v) {
        return Tensor.fromArray(v, v.length).requiresGrad(true);
    }

    private static void setGrad(Tensor p, float... g) {
        p.zeroGrad();
        float[] dst = p.gradForAccumulation();
        System.arraycopy(g, 0, dst, 0, g.length);
    }

    @Test
    void nesterovWithDampeningRulesAndWeightDecay() {
        // p = 1, g = 0.5, wd = 0.1 -> d = 0.6; step 1: buf = 0.6, nesterov d = 0.6 + 0.9*0.6 = 1.14, p = 1 - 0.1*1.14 = 0.886
        Tensor p = param(1f);
        Sgd opt = new Sgd(List.of(p), 0.1, 0.9, 0, 0.1, true);
        setGrad(p, 0.5f);
        opt.step();
        assertEquals(0.886, p.data()[0], 1e-6);
        // step 2: g = 0.5, d = 0.5 + 0.1*0.886 = 0.5886; buf = 0.9*0.6 + 0.5886 = 1.1286;
        // d = 0.5886 + 0.9*1.1286 = 1.60434; p = 0.886 - 0.160434 = 0.725566
        setGrad(p, 0.5f);
        opt.step();
        assertEquals(1.1286, opt.momentumBuffer(p)[0], 1e-6);
        assertEquals(0.725566, p.data()[0], 1e-6);
        assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(p), 0.1, 0.9, 0.5, 0, true));
    }

    @Test
    void dampeningAppliesFromTheSecondStep() {
        // buf1 = g1 = 1 (no dampening on the first step); buf2 = 0.5*1 + (1-0.25)*2 = 2.0
        Tensor p = param(0f);
        Sgd opt = new Sgd(List.of(p), 1, 0.5, 0.25, 0, false);
        setGrad(p, 1f);
        opt.step();
        assertEquals(-1f, p.data()[0]);
        setGrad(p, 2f);
        opt.step();
        assertEquals(2f, opt.momentumBuffer(p)[0]);
        assertEquals(-3f, p.data()[0]);
    }

    @Test
    void plainSgdAndSkippedParameters() {
        Tensor p = param(1f, 2f);
        Tensor unused = param(5f);
        Sgd opt = new Sgd(List.of(p, unused), 0.5, 0, 0, 0, false);
        setGrad(p, 1f, -2f);
        opt.step();
        assertEquals(0.5f, p.data()[0]);
        assertEquals(3f, p.data()[1]);
        assertEquals(5f, unused.data()[0]);
    }

    @Test
    void adamTwoStepsByHand() {
        double lr = 0.01;
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-8;
        double wd = 0.01;
        Tensor p = param(1f);
        Adam opt = new Adam(List.of(p), lr, b1, b2, eps, wd);
        double w = 1;
        double m = 0;
        double v = 0;
        double[] grads = {0.3, -0.7};
        for (int t = 1; t <= 2; t++) {
            setGrad(p, (float) grads[t - 1]);
            opt.step();
            double g = grads[t - 1] + wd * w;
            m = b1 * m + (1 - b1) * g;
            v = b2 * v + (1 - b2) * g * g;
            double mhat = m / (1 - Math.pow(b1, t));
            double vhat = v / (1 - Math.pow(b2, t));
            w -= lr * mhat / (Math.sqrt(vhat) + eps);
            assertEquals(w, p.data()[0], 1e-6, "step " + t);
            if (t == 1) {
                // the first step moves by lr * sign(g): bias correction makes mhat / sqrt(vhat) = g / |g|
                assertEquals(1 - lr, p.data()[0], 1e-6);
            }
        }
        assertEquals(2, opt.steps());
    }

    @Test
    void zeroGradClearsEveryParameter() {
        Tensor p = param(1f);
        Sgd opt = Sgd.momentum(List.of(p), 0.1, 0.9, 0);
        setGrad(p, 3f);
        opt.zeroGrad();
        assertEquals(0f, p.grad()[0]);
        assertThrows(IllegalArgumentException.class, () -> Sgd.momentum(List.of(Tensor.zeros(1)), 0.1, 0.9, 0));
    }
}
