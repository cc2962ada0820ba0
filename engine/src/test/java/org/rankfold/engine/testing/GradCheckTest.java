package org.rankfold.engine.testing;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.rankfold.engine.tensor.Tensor;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checker itself must catch a wrong backward. */
class GradCheckTest extends SeededTest {

    /** y = x^2 with a backward that forgets the factor 2. */
    private static Tensor wrongSquare(Tensor x) {
        float[] in = x.data();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = in[i] * in[i];
        }
        return Tensor.derived(out, x.shape(), "wrongSquare", dout -> {
            float[] g = x.gradForAccumulation();
            for (int i = 0; i < in.length; i++) {
                g[i] += dout[i] * in[i];
            }
        }, x);
    }

    @Test
    void catchesAWrongGradient() {
        Tensor x = Tensor.uniform(random(), 0.5f, 1f, 4);
        assertThrows(AssertionFailedError.class, () -> GradCheck.assertGradients("wrong", t -> wrongSquare(t[0]),
                new Tensor[] {x}, random(), EngineTolerances.FD_STEP, EngineTolerances.FD_REL));
    }

    @Test
    void reportsSmallErrorForACorrectGradient() {
        Tensor x = Tensor.uniform(random(), -1f, 1f, 4);
        GradCheck.Report r = GradCheck.assertGradients("square", t -> t[0].mul(t[0]), new Tensor[] {x}, random(),
                EngineTolerances.FD_STEP, EngineTolerances.FD_REL);
        assertTrue(r.relativeError() < 1e-3, r.toString());
    }
}
