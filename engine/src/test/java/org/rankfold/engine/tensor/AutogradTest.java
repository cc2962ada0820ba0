package org.rankfold.engine.tensor;

import org.junit.jupiter.api.Test;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AutogradTest extends SeededTest {

    @Test
    void gradientsAccumulateWhereATensorIsUsedTwice() {
        // L = sum(x * x + x) -> dL/dx = 2x + 1
        Tensor x = Tensor.fromArray(new float[] {1, -2, 3}, 3).requiresGrad(true);
        x.mul(x).add(x).sum().backward();
        assertArrayEquals(new float[] {3, -3, 7}, x.grad());
    }

    @Test
    void leafGradientsAccumulateOverBackwardCallsUntilZeroed() {
        Tensor x = Tensor.fromArray(new float[] {1, 2}, 2).requiresGrad(true);
        x.scale(3f).sum().backward();
        x.scale(3f).sum().backward();
        assertArrayEquals(new float[] {6, 6}, x.grad());
        x.zeroGrad();
        assertArrayEquals(new float[] {0, 0}, x.grad());
    }

    @Test
    void intermediatesAreFreedUnlessRetained() {
        Tensor x = Tensor.fromArray(new float[] {1, 2}, 2).requiresGrad(true);
        Tensor h = x.scale(2f);
        Tensor kept = x.scale(5f).retainGrad();
        Tensor loss = h.add(kept).sum();
        loss.backward();
        assertNull(h.grad(), "intermediate gradient freed");
        assertNotNull(kept.grad());
        assertTrue(h.isLeaf(), "graph released after backward");
        assertArrayEquals(new float[] {7, 7}, x.grad());
    }

    @Test
    void noGradScopeRecordsNothing() {
        Tensor x = Tensor.ones(2).requiresGrad(true);
        Tensor y;
        try (GradMode.Scope _ = GradMode.noGrad()) {
            y = x.scale(2f).sum();
            assertFalse(GradMode.isEnabled());
        }
        assertTrue(GradMode.isEnabled());
        assertFalse(y.requiresGrad());
        assertThrows(IllegalStateException.class, y::backward);
    }

    @Test
    void backwardNeedsAScalarOrAnExplicitUpstreamGradient() {
        Tensor x = Tensor.ones(2).requiresGrad(true);
        Tensor y = x.scale(2f);
        assertThrows(IllegalStateException.class, y::backward);
        y.backward(new float[] {1, 10});
        assertArrayEquals(new float[] {2, 20}, x.grad());
    }

    @Test
    void inputsWithoutGradGetNone() {
        Tensor x = Tensor.ones(2).requiresGrad(true);
        Tensor c = Tensor.ones(2);
        x.mul(c).sum().backward();
        assertNull(c.grad());
        assertThrows(IllegalStateException.class, () -> x.scale(1f).requiresGrad(false));
    }

    @Test
    void gradHooksSeeTheCompleteGradient() {
        Tensor x = Tensor.ones(3).requiresGrad(true);
        Tensor h = x.scale(2f);
        float[][] seen = new float[1][];
        h.onGrad(g -> seen[0] = g.clone());
        h.add(h).sum().backward();
        assertArrayEquals(new float[] {2, 2, 2}, seen[0]);
    }

    @Test
    void intermediateGradientBuffersAreReusedAcrossBackwards() {
        Tensor x = Tensor.ones(5).requiresGrad(true);
        float[][] seen = new float[4][];
        for (int round = 0; round < 2; round++) {
            int r = round;
            Tensor h = x.scale(2f);
            h.onGrad(g -> seen[2 * r] = g); // identity only: hooks must not keep the array in real use
            Tensor sq = h.mul(h);
            sq.onGrad(g -> seen[2 * r + 1] = g);
            sq.sum().backward();
        }
        // the second backward's two size-5 gradients are the first one's two buffers (in some order)
        assertTrue((seen[2] == seen[0] && seen[3] == seen[1]) || (seen[2] == seen[1] && seen[3] == seen[0]),
                "the second backward reuses the first one's buffers");
        assertArrayEquals(new float[] {16, 16, 16, 16, 16}, x.grad(), "reused buffers start from zero");
        float[] leafGrad = x.grad();
        x.scale(1f).sum().backward();
        assertTrue(leafGrad == x.grad(), "leaf gradients stay in place");
    }

    @Test
    void deepChainsDoNotOverflowTheStack() {
        Tensor x = Tensor.ones(1).requiresGrad(true);
        Tensor y = x;
        for (int i = 0; i < 20000; i++) {
            y = y.scale(1f);
        }
        y.sum().backward();
        assertEquals(1f, x.grad()[0]);
    }
}
