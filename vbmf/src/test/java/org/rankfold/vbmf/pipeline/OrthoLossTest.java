package org.rankfold.vbmf.pipeline;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.engine.nn.BasicBlock;
import org.rankfold.engine.nn.BatchNorm2d;
import org.rankfold.engine.nn.Conv2d;
import org.rankfold.engine.nn.Overparameterization;
import org.rankfold.engine.nn.ReLU;
import org.rankfold.engine.nn.Sequential;
import org.rankfold.engine.regularize.OrthogonalRegularizer;
import org.rankfold.engine.tensor.GradMode;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrthoLossTest extends SeededTest {

    private Sequential model(SplittableRandom rng) {
        return new Sequential().add("conv1", new Conv2d(1, 8, 3, 1, 1, false, rng)).add("bn1", new BatchNorm2d(8))
                .add("relu", new ReLU()).add("block", new BasicBlock(8, 12, 2, rng));
    }

    @Test
    void factorsOfTheOverParameterizedModelStartOrthogonal() {
        SplittableRandom rng = random();
        Sequential net = model(rng);
        Overparameterization.apply(net, new Overparameterization.Options(OverparamMode.FACTORIZED.engineMode(), 1, false,
                false), rng);
        assertEquals(4, OrthoLoss.targets(net, false).size(), "A and B of block.conv1 and block.conv2");
        assertEquals(4 + 2, OrthoLoss.targets(net, true).size(), "plus the first conv and the 1x1 shortcut");
        try (GradMode.Scope s = GradMode.noGrad()) {
            float so = new OrthoLoss(OrthogonalRegularizer.parse("so"), 1, 1, false).term(net, 0, 0).item();
            assertTrue(so < 1e-8, "SO of orthonormal factors: " + so);
        }
    }

    @Test
    void lambdaDecaysPerEpochAndZeroMeansNoTerm() {
        Sequential net = model(random());
        OrthoLoss dso = new OrthoLoss(OrthogonalRegularizer.parse("dso"), 0.1, 0.5, true);
        try (GradMode.Scope s = GradMode.noGrad()) {
            double t0 = dso.term(net, 0, 0).item();
            double t2 = dso.term(net, 2, 0).item();
            assertTrue(t0 > 0);
            assertEquals(t0 * 0.25, t2, 1e-6 * t0);
            assertNull(new OrthoLoss(OrthogonalRegularizer.parse("so"), 0, 1, true).term(net, 0, 0));
            assertNull(new OrthoLoss(OrthogonalRegularizer.parse("so"), 1, 1, false).term(net, 0, 0),
                    "no factorized layer and plain weights not asked: nothing to regularize");
        }
    }
}
