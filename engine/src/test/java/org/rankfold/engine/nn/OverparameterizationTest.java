package org.rankfold.engine.nn;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.engine.optim.Sgd;
import org.rankfold.engine.tensor.GradMode;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.engine.testing.EngineTolerances;
import org.rankfold.engine.zoo.ModelZoo;
import org.rankfold.kernels.testing.Arrays2;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OverparameterizationTest extends SeededTest {

    /**
     * A converted model against the original: three chained float32 convolutions against one, so outputs
     * agree to float rounding accumulated over the network (~1e-6 relative per layer), not bitwise.
     */
    private static final double CONVERSION_REL = 1e-4;

    private static float[] evalForward(Module model, Tensor x) {
        model.eval();
        try (GradMode.Scope _ = GradMode.noGrad()) {
            return model.forward(x).data();
        }
    }

    @Test
    void factorizedConversionKeepsTheFunctionAndFoldsBackExactly() {
        Sequential net = ModelZoo.create("fashionnet", 1, 12, 10, 2);
        Tensor x = Tensor.randn(new SplittableRandom(4), 3, 1, 12, 12);
        float[] original = evalForward(net, x);
        List<String> converted = Overparameterization.apply(net,
                new Overparameterization.Options(Overparameterization.Mode.FACTORIZED, 1, false, false), random());
        assertEquals(List.of("conv2", "conv3", "conv4"), converted, "first conv (C = 1) excluded");
        FactorizedConv2d f = (FactorizedConv2d) net.namedModules().get("conv3");
        assertEquals(32, f.rankIn());
        assertEquals(64, f.rankOut());
        Arrays2.assertClose("converted", original, evalForward(net, x), CONVERSION_REL, CONVERSION_REL * Arrays2.maxAbs(original));

        // train a few steps so the factors move away from their structured start, then fold
        net.train(true);
        int[] labels = {1, 2, 3};
        Sgd opt = Sgd.momentum(net.parameters(), 0.05, 0.9, 0);
        for (int step = 0; step < 3; step++) {
            opt.zeroGrad();
            net.forward(x).crossEntropy(labels).backward();
            opt.step();
        }
        float[] trained = evalForward(net, x);
        assertEquals(List.of("conv2", "conv3", "conv4"), Overparameterization.foldAll(net));
        assertTrue(net.namedModules().get("conv3") instanceof Conv2d);
        float[] folded = evalForward(net, x);
        Arrays2.assertClose("folded", trained, folded, EngineTolerances.FOLD_REL, EngineTolerances.FOLD_REL * Arrays2.maxAbs(trained));
    }

    @Test
    void expansionAndOptions() {
        Sequential net = ModelZoo.create("resnet20", 3, 8, 10, 2);
        Tensor x = Tensor.randn(new SplittableRandom(5), 2, 3, 8, 8);
        float[] original = evalForward(net, x);
        List<String> converted = Overparameterization.apply(net,
                new Overparameterization.Options(Overparameterization.Mode.EXPAND, 1.5, true, true), random());
        assertEquals(19 + 2, converted.size(), "every 3x3 conv and both 1x1 projections");
        assertTrue(converted.contains("layer2.0.shortcut.0"));
        FactorizedConv2d first = (FactorizedConv2d) net.namedModules().get("conv1");
        assertEquals(5, first.rankIn()); // ceil(1.5 * 3)
        assertEquals(24, first.rankOut());
        Arrays2.assertClose("expanded", original, evalForward(net, x), CONVERSION_REL, CONVERSION_REL * Arrays2.maxAbs(original));
        assertThrows(IllegalArgumentException.class,
                () -> new Overparameterization.Options(Overparameterization.Mode.EXPAND, 0.5, false, false));
        assertEquals(List.of(), Overparameterization.apply(ModelZoo.create("lenet5", 1, 28, 10, 1),
                new Overparameterization.Options(Overparameterization.Mode.NONE, 1, true, true), random()));
    }

    @Test
    void factorsStartOrthonormal() {
        double[] a = Overparameterization.orthonormalColumns(7, 4, random());
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double dot = 0;
                for (int r = 0; r < 7; r++) {
                    dot += a[r * 4 + i] * a[r * 4 + j];
                }
                assertEquals(i == j ? 1 : 0, dot, 1e-12);
            }
        }
        Conv2d conv = new Conv2d(4, 6, 3, 1, 1, false, random());
        assertThrows(IllegalArgumentException.class, () -> Overparameterization.functionPreserving(conv, 3, 6, random()));
    }
}
