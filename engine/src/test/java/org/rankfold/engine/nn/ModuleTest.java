package org.rankfold.engine.nn;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.engine.ops.ConvSpec;
import org.rankfold.engine.tensor.GradMode;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.engine.testing.EngineTolerances;
import org.rankfold.kernels.testing.Arrays2;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModuleTest extends SeededTest {

    @Test
    void namedParametersAndBuffersFollowPyTorchNaming() {
        BasicBlock block = new BasicBlock(4, 8, 2, random());
        assertEquals(List.of("conv1.weight", "bn1.weight", "bn1.bias", "conv2.weight", "bn2.weight", "bn2.bias",
                "shortcut.0.weight", "shortcut.1.weight", "shortcut.1.bias"), List.copyOf(block.namedParameters().keySet()));
        assertTrue(block.namedBuffers().containsKey("shortcut.1.running_var"));
        assertTrue(block.projects());
        assertFalse(new BasicBlock(4, 4, 1, random()).projects());
        FactorizedConv2d f = new FactorizedConv2d(3, 6, ConvSpec.square(3, 1, 1, 1), 2, 4, true, random());
        assertEquals(List.of("a.weight", "g.weight", "b.weight", "b.bias"), List.copyOf(f.namedParameters().keySet()));
    }

    @Test
    void trainAndEvalApplyToTheSubtree() {
        Sequential net = new Sequential(new Conv2d(1, 2, 3, 1, 1, true, random()), new BatchNorm2d(2), new Dropout(0.5, 1));
        net.eval();
        for (Module m : net.namedModules().values()) {
            assertFalse(m.isTraining());
        }
        net.train(true);
        assertTrue(net.layers().get(1).isTraining());
    }

    @Test
    void initializationIsSeededAndPyTorchScaled() {
        Conv2d a = new Conv2d(16, 8, 3, 1, 1, true, new SplittableRandom(5));
        Conv2d b = new Conv2d(16, 8, 3, 1, 1, true, new SplittableRandom(5));
        assertArrayEquals(a.weight().data(), b.weight().data());
        double bound = 1 / Math.sqrt(16 * 9);
        assertTrue(Arrays2.maxAbs(a.weight().data()) <= bound);
        assertTrue(Arrays2.maxAbs(a.weight().data()) > 0.9 * bound);
        Tensor k = Init.kaimingNormal(new SplittableRandom(1), true, 64, 32, 3, 3);
        double sq = 0;
        for (float v : k.data()) {
            sq += v * v;
        }
        assertEquals(2.0 / (64 * 9), sq / k.size(), 0.1 * 2.0 / (64 * 9));
    }

    @Test
    void groupedConvolutionIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new Conv2d(4, 4, ConvSpec.square(3, 1, 1, 1), false, 2, random()));
    }

    @Test
    void foldedFactorizedConvolutionMatchesItsFactors() {
        SplittableRandom rng = random();
        for (ConvSpec spec : new ConvSpec[] {ConvSpec.square(3, 1, 1, 1), ConvSpec.square(3, 2, 1, 1),
            ConvSpec.square(5, 1, 2, 2), ConvSpec.square(1, 1, 0, 1)}) {
            FactorizedConv2d f = new FactorizedConv2d(3, 5, spec, 6, 8, true, rng); // ranks above the channels
            Conv2d folded = f.fold();
            assertEquals(List.of(5, 3, spec.kernelH(), spec.kernelW()),
                    java.util.Arrays.stream(folded.weight().shape()).boxed().toList());
            Tensor x = Tensor.uniform(rng, -1, 1, 2, 3, 9, 8);
            try (GradMode.Scope _ = GradMode.noGrad()) {
                float[] yf = f.forward(x).data();
                float[] yc = folded.forward(x).data();
                Arrays2.assertClose("fold " + spec, yf, yc, EngineTolerances.FOLD_REL,
                        EngineTolerances.FOLD_REL * Arrays2.maxAbs(yf));
            }
        }
    }

    @Test
    void fromFactorsBuildsTheTuckerLayer() {
        SplittableRandom rng = random();
        // A = U1^T (R_in x C), core (R_out x R_in x k x k), B = U0 (S x R_out)
        Tensor a = Tensor.uniform(rng, -1, 1, 2, 3);
        Tensor core = Tensor.uniform(rng, -1, 1, 4, 2, 3, 3);
        Tensor b = Tensor.uniform(rng, -1, 1, 5, 4);
        FactorizedConv2d f = FactorizedConv2d.fromFactors(a, core, b, null, ConvSpec.square(3, 1, 1, 1));
        assertEquals(2, f.rankIn());
        assertEquals(4, f.rankOut());
        // effective kernel entry W[s,c,p,q] = sum_j,i B[s,j] G[j,i,p,q] A[i,c], checked at one index
        int s = 3;
        int c = 1;
        int pq = 4;
        double expected = 0;
        for (int j = 0; j < 4; j++) {
            for (int i = 0; i < 2; i++) {
                expected += b.data()[s * 4 + j] * core.data()[(j * 2 + i) * 9 + pq] * a.data()[i * 3 + c];
            }
        }
        assertEquals(expected, f.effectiveKernel().data()[(s * 3 + c) * 9 + pq], 1e-5);
        assertThrows(IllegalArgumentException.class,
                () -> FactorizedConv2d.fromFactors(a, core, Tensor.zeros(5, 3), null, ConvSpec.square(3, 1, 1, 1)));
    }

    @Test
    void dropoutIsSeededScaledAndOffInEval() {
        Dropout d1 = new Dropout(0.25, 42);
        Dropout d2 = new Dropout(0.25, 42);
        Tensor x = Tensor.ones(1000);
        float[] y1 = d1.forward(x).data();
        assertArrayEquals(y1, d2.forward(x).data());
        int zeros = 0;
        for (float v : y1) {
            if (v == 0f) {
                zeros++;
            } else {
                assertEquals(1f / 0.75f, v, 1e-6);
            }
        }
        assertEquals(250, zeros, 50);
        d1.eval();
        assertArrayEquals(x.data(), d1.forward(x).data());
        assertNotEquals(0, zeros);
    }

    @Test
    void linearFromGivenWeights() {
        Linear fc = Linear.of(Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3), Tensor.fromArray(new float[] {1, -1}, 2));
        assertArrayEquals(new float[] {8, 15}, fc.forward(Tensor.fromArray(new float[] {1, 0, 2}, 1, 3)).data());
        assertThrows(IllegalArgumentException.class, () -> Linear.of(Tensor.zeros(2, 3), Tensor.zeros(3)));
        assertThrows(IllegalArgumentException.class, () -> new Linear(0, 3, true, random()));
    }
}
