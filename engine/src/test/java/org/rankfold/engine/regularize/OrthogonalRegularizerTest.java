package org.rankfold.engine.regularize;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.engine.nn.BasicBlock;
import org.rankfold.engine.nn.BatchNorm2d;
import org.rankfold.engine.nn.Conv2d;
import org.rankfold.engine.nn.Overparameterization;
import org.rankfold.engine.nn.ReLU;
import org.rankfold.engine.nn.Sequential;
import org.rankfold.engine.tensor.GradMode;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The regularizer as a loss term: its targets, its weight per epoch, and the float64 distance the run logs. */
class OrthogonalRegularizerTest extends SeededTest {

    private Sequential model(SplittableRandom rng) {
        return new Sequential().add("conv1", new Conv2d(1, 8, 3, 1, 1, false, rng)).add("bn1", new BatchNorm2d(8))
                .add("relu", new ReLU()).add("block", new BasicBlock(8, 12, 2, rng));
    }

    @Test
    void factorsOfTheOverParameterizedModelStartOrthogonal() {
        SplittableRandom rng = random();
        Sequential net = model(rng);
        Overparameterization.apply(net, new Overparameterization.Options(Overparameterization.Mode.FACTORIZED, 1, false,
                false), rng);
        assertEquals(4, OrthogonalRegularizer.targets(net, false).size(), "A and B of block.conv1 and block.conv2");
        assertEquals(4 + 2, OrthogonalRegularizer.targets(net, true).size(), "plus the first conv and the 1x1 shortcut");
        try (GradMode.Scope _ = GradMode.noGrad()) {
            float so = OrthogonalRegularizer.parse("so").plainWeights(false).term(net, 0, 0).item();
            assertTrue(so < 1e-8, "SO of orthonormal factors: " + so);
        }
    }

    @Test
    void lambdaDecaysPerEpochAndZeroMeansNoTerm() {
        Sequential net = model(random());
        OrthogonalRegularizer dso = OrthogonalRegularizer.parse("dso").weighted(0.1, 0.5);
        try (GradMode.Scope _ = GradMode.noGrad()) {
            double t0 = dso.term(net, 0, 0).item();
            double t2 = dso.term(net, 2, 0).item();
            assertTrue(t0 > 0);
            assertEquals(t0 * 0.25, t2, 1e-6 * t0);
            assertNull(OrthogonalRegularizer.parse("so").weighted(0, 1).term(net, 0, 0));
            assertNull(OrthogonalRegularizer.parse("so").plainWeights(false).term(net, 0, 0),
                    "no factorized layer and plain weights not asked: nothing to regularize");
        }
    }

    @Test
    void anInfiniteOrNegativeWeightIsRefused() {
        OrthogonalRegularizer so = OrthogonalRegularizer.parse("so");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> so.weighted(Double.POSITIVE_INFINITY, 1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> so.weighted(-1, 1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> so.weighted(1, 0));
    }

    @Test
    void theLoggedOrthogonalityIsTheSquareRootOfTheSoPenalty() {
        SplittableRandom rng = random();
        for (int[] shape : new int[][] {{4, 9}, {9, 4}, {6, 6, 1, 1}, {5, 3, 3, 3}}) {
            org.rankfold.engine.tensor.Tensor w = org.rankfold.engine.tensor.Tensor.uniform(rng, -1, 1, shape);
            double so;
            try (GradMode.Scope _ = GradMode.noGrad()) {
                so = Orthogonality.so(w).item();
            }
            assertEquals(Math.sqrt(so), Orthogonality.frobeniusDistance(w), 1e-5 * Math.sqrt(so), java.util.Arrays.toString(shape));
        }
    }
}
