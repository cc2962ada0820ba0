package org.rankfold.engine.nn;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.rankfold.engine.ops.ConvSpec;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.engine.testing.GoldenCase;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every layer case of {@code grad/} in the golden data: forward values and gradients vs PyTorch float64. */
class LayerGoldenTest extends SeededTest {

    static void load(Tensor target, Tensor values) {
        assertEquals(target.size(), values.size(), "parameter size");
        System.arraycopy(values.data(), 0, target.data(), 0, values.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"conv_1x1", "conv_s1p0_nonsquare_7x9", "conv_s1p1", "conv_s1p1_nobias", "conv_s2p1",
            "conv_s2p1_nonsquare_7x9"})
    void conv(String name) {
        GoldenCase g = GoldenCase.load(name);
        boolean hasBias = g.integer("has_bias") == 1;
        ConvSpec spec = ConvSpec.square(g.integer("kernel_size"), g.integer("stride"), g.integer("padding"), 1);
        Conv2d conv = Conv2d.of(g.tensor("w"), hasBias ? g.tensor("b") : null, spec);
        Tensor x = g.tensor("x").requiresGrad(true);
        Tensor y = conv.forward(x);
        g.assertMatches("y", y.data());
        y.backward(g.tensor("gy").data());
        g.assertMatches("grad_x", x.grad());
        g.assertMatches("grad_w", conv.weight().grad());
        if (hasBias) {
            g.assertMatches("grad_b", conv.bias().grad());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bn_train", "bn_train_nonsquare"})
    void batchNormTrainingThenEval(String name) {
        GoldenCase g = GoldenCase.load(name);
        Tensor x = g.tensor("x").requiresGrad(true);
        BatchNorm2d bn = new BatchNorm2d(x.dim(1), g.scalar("momentum"), g.scalar("eps"));
        load(bn.gamma(), g.tensor("gamma"));
        load(bn.beta(), g.tensor("beta"));
        load(bn.runningMean(), g.tensor("running_mean_in"));
        load(bn.runningVar(), g.tensor("running_var_in"));
        Tensor y = bn.forward(x);
        g.assertMatches("y", y.data());
        g.assertMatches("running_mean_out", bn.runningMean().data());
        g.assertMatches("running_var_out", bn.runningVar().data());
        y.backward(g.tensor("gy").data());
        g.assertMatches("grad_x", x.grad());
        g.assertMatches("grad_gamma", bn.gamma().grad());
        g.assertMatches("grad_beta", bn.beta().grad());
        bn.eval();
        g.assertMatches("y_eval", bn.forward(g.tensor("x")).data());
    }

    @ParameterizedTest
    @ValueSource(strings = {"maxpool_2x2", "maxpool_2x2_nonsquare_7x9", "maxpool_2x2_ties", "maxpool_3x3_s2p1",
            "maxpool_3x3_s2p1_ties"})
    void maxPool(String name) {
        GoldenCase g = GoldenCase.load(name);
        MaxPool2d pool = new MaxPool2d(g.integer("kernel_size"), g.integer("stride"), g.integer("padding"));
        Tensor x = g.tensor("x").requiresGrad(true);
        Tensor y = pool.forward(x);
        g.assertMatches("y", y.data());
        y.backward(g.tensor("gy").data());
        g.assertMatches("grad_x", x.grad());
    }

    @ParameterizedTest
    @ValueSource(strings = {"avgpool_2x2", "avgpool_3x3_s2p1_excpad", "avgpool_3x3_s2p1_incpad"})
    void avgPool(String name) {
        GoldenCase g = GoldenCase.load(name);
        AvgPool2d pool = new AvgPool2d(g.integer("kernel_size"), g.integer("stride"), g.integer("padding"),
                g.integer("count_include_pad") == 1);
        Tensor x = g.tensor("x").requiresGrad(true);
        Tensor y = pool.forward(x);
        g.assertMatches("y", y.data());
        y.backward(g.tensor("gy").data());
        g.assertMatches("grad_x", x.grad());
    }

    @Test
    void globalAvgPool() {
        GoldenCase g = GoldenCase.load("global_avgpool");
        Tensor x = g.tensor("x").requiresGrad(true);
        Tensor y = new GlobalAvgPool().forward(x);
        assertEquals(4, y.rank());
        g.assertMatches("y", y.data());
        y.backward(g.tensor("gy").data());
        g.assertMatches("grad_x", x.grad());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny_net_flat", "tiny_net_gap"})
    void tinyNetwork(String name) {
        GoldenCase g = GoldenCase.load(name);
        boolean gap = name.endsWith("gap");
        Tensor convW = g.tensor("conv_w");
        Conv2d conv = Conv2d.of(convW, null, ConvSpec.square(3, 1, 1, 1));
        BatchNorm2d bn = new BatchNorm2d(convW.dim(0));
        load(bn.gamma(), g.tensor("bn_gamma"));
        load(bn.beta(), g.tensor("bn_beta"));
        load(bn.runningMean(), g.tensor("bn_running_mean_in"));
        load(bn.runningVar(), g.tensor("bn_running_var_in"));
        Tensor fcW = g.tensor("fc_w");
        Linear fc = new Linear(fcW.dim(1), fcW.dim(0), true, new SplittableRandom(1));
        load(fc.weight(), fcW);
        load(fc.bias(), g.tensor("fc_b"));
        Sequential net = new Sequential().add("conv", conv).add("bn", bn).add("relu", new ReLU());
        if (gap) {
            net.add("pool", new MaxPool2d(3, 2, 1)).add("gap", new GlobalAvgPool());
        } else {
            net.add("pool", new MaxPool2d(2, 2, 0));
        }
        net.add("flatten", new Flatten()).add("fc", fc);
        assertEquals(java.util.List.of("conv.weight", "bn.weight", "bn.bias", "fc.weight", "fc.bias"),
                java.util.List.copyOf(net.namedParameters().keySet()));

        Tensor x = g.tensor("x").requiresGrad(true);
        Tensor logits = net.forward(x);
        g.assertMatches("logits", logits.data());
        Tensor loss = logits.crossEntropy(g.labels("labels"));
        g.assertMatches("loss", loss.data());
        g.assertMatches("bn_running_mean_out", bn.runningMean().data());
        g.assertMatches("bn_running_var_out", bn.runningVar().data());
        loss.backward();
        g.assertMatches("grad_x", x.grad());
        g.assertMatches("grad_conv_w", conv.weight().grad());
        g.assertMatches("grad_bn_gamma", bn.gamma().grad());
        g.assertMatches("grad_bn_beta", bn.beta().grad());
        g.assertMatches("grad_fc_w", fc.weight().grad());
        g.assertMatches("grad_fc_b", fc.bias().grad());
    }
}
