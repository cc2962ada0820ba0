package org.rankfold.vbmf.pipeline;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.engine.nn.BasicBlock;
import org.rankfold.engine.nn.BatchNorm2d;
import org.rankfold.engine.nn.Conv2d;
import org.rankfold.engine.nn.FactorizedConv2d;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.nn.ReLU;
import org.rankfold.engine.nn.Sequential;
import org.rankfold.engine.regularize.OrthogonalRegularizer;
import org.rankfold.engine.tensor.GradMode;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OverParameterizerTest extends SeededTest {
    /** Issue 6: outputs after fold equal to 1e-5 relative (to the largest output), in eval mode. */
    static final double FOLD_RELATIVE = 1e-5;

    private Sequential model(SplittableRandom rng) {
        return new Sequential().add("conv1", new Conv2d(1, 8, 3, 1, 1, false, rng)).add("bn1", new BatchNorm2d(8))
                .add("relu", new ReLU()).add("block", new BasicBlock(8, 12, 2, rng));
    }

    @Test
    void expandsEligibleConvolutionsAndFoldsBackExactly() {
        SplittableRandom rng = random();
        Sequential net = model(rng);
        List<String> expanded = OverParameterizer.expand(net, 2, false, false, rng);
        assertEquals(List.of("block.conv1", "block.conv2"), expanded, "first conv and the 1x1 shortcut stay plain");
        FactorizedConv2d f = assertInstanceOf(FactorizedConv2d.class, net.namedModules().get("block.conv1"));
        assertEquals(16, f.rankIn());
        assertEquals(24, f.rankOut());
        assertEquals(2, f.core().spec().strideH(), "stride on the core");

        Tensor x = Tensor.uniform(rng, -1, 1, 2, 1, 9, 9);
        float[] y = forward(net, x);
        assertEquals(List.of("block.conv1", "block.conv2"), ModelSurgery.foldAll(net));
        assertInstanceOf(Conv2d.class, net.namedModules().get("block.conv1"));
        float[] folded = forward(net, x);
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < y.length; i++) {
            scale = Math.max(scale, Math.abs(y[i]));
            worst = Math.max(worst, Math.abs(y[i] - folded[i]));
        }
        assertTrue(worst <= FOLD_RELATIVE * scale, "max diff " + worst + " at scale " + scale);
    }

    @Test
    void factorsStartSemiOrthogonalSoThePenaltyStartsAtZero() {
        SplittableRandom rng = random();
        Sequential net = model(rng);
        OverParameterizer.expand(net, 1.5, true, true, rng);
        List<Tensor> targets = OrthoLoss.targets(net, false);
        assertEquals(2 * 4, targets.size(), "A and B of conv1, block.conv1, block.conv2 and the 1x1 shortcut");
        OrthoLoss so = new OrthoLoss(OrthogonalRegularizer.parse("so"), 1.0, 1.0, false);
        try (GradMode.Scope s = GradMode.noGrad()) {
            assertTrue(so.term(net, 0, 0).item() < 1e-9 * 8 * 24, "SO of semi-orthogonal factors: " + so.term(net, 0, 0).item());
        }
        assertEquals(8, OrthoLoss.targets(net, true).size(), "every conv is factorized: no plain weight left");
        Sequential plainNet = model(random());
        assertEquals(4, OrthoLoss.targets(plainNet, true).size(), "conv1, block.conv1, block.conv2, shortcut conv");
    }

    static float[] forward(Module m, Tensor x) {
        try (GradMode.Scope s = GradMode.noGrad()) {
            m.eval();
            return m.forward(x).data();
        }
    }
}
