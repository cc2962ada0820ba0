package org.rankfold.engine.nn;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.engine.tensor.GradMode;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.engine.zoo.ModelZoo;
import org.rankfold.kernels.testing.Arrays2;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Swapping a convolution for an equivalent factorized one, as the decomposer does, keeps the function. */
class ReplaceModuleTest extends SeededTest {

    /** The factorized layer with identity 1x1 factors around the conv's own kernel: the same function. */
    private static FactorizedConv2d identityFactorization(Conv2d conv) {
        int c = conv.inChannels();
        int s = conv.outChannels();
        Tensor a = Tensor.zeros(c, c);
        for (int i = 0; i < c; i++) {
            a.data()[i * c + i] = 1f;
        }
        Tensor b = Tensor.zeros(s, s);
        for (int i = 0; i < s; i++) {
            b.data()[i * s + i] = 1f;
        }
        return FactorizedConv2d.fromFactors(a, conv.weight(), b, conv.bias(), conv.spec());
    }

    @Test
    void replacingInsideResidualBlocksAndSequentials() {
        Sequential net = ModelZoo.create("resnet20", 1, 8, 4, 5);
        net.eval();
        Tensor x = Tensor.randn(new SplittableRandom(3), 2, 1, 8, 8);
        float[] before;
        try (GradMode.Scope _ = GradMode.noGrad()) {
            before = net.forward(x).data();
        }
        for (String name : new String[] {"layer1.0.conv1", "layer2.0.conv2", "layer2.0.shortcut.0", "conv1"}) {
            Conv2d conv = (Conv2d) net.namedModules().get(name);
            FactorizedConv2d f = identityFactorization(conv);
            assertSame(conv, net.replaceModule(name, f));
            assertSame(f, net.namedModules().get(name));
        }
        net.eval();
        assertTrue(net.namedParameters().containsKey("layer1.0.conv1.g.weight"));
        try (GradMode.Scope _ = GradMode.noGrad()) {
            float[] after = net.forward(x).data();
            Arrays2.assertClose("replaced", before, after, 1e-5, 1e-5 * Arrays2.maxAbs(before));
        }
        assertThrows(IllegalArgumentException.class, () -> net.replaceModule("layer9.conv1", new ReLU()));
        assertThrows(IllegalArgumentException.class, () -> net.replaceModule("conv1", null));
    }
}
