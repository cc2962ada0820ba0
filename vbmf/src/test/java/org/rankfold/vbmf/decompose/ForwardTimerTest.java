package org.rankfold.vbmf.decompose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.engine.nn.Conv2d;
import org.rankfold.engine.nn.FactorizedConv2d;
import org.rankfold.engine.nn.Linear;
import org.rankfold.engine.ops.ConvSpec;

/** The wall-clock timer runs both forms through their inference plans and leaves the modules' modes alone. */
class ForwardTimerTest {

    @Test
    void timesAConvolutionAndItsTuckerFormThroughThePlan() {
        SplittableRandom rng = new SplittableRandom(1);
        Conv2d conv = new Conv2d(16, 16, 3, 1, 1, false, rng);
        FactorizedConv2d tucker = new FactorizedConv2d(16, 16, ConvSpec.square(3, 1, 1, 1), 4, 4, false, rng);
        conv.train(true);
        LayerTimer.Times t = new ForwardTimer(1, 0, 3).time(conv, tucker, new int[] {4, 16, 8, 8});
        assertTrue(t.originalSeconds() > 0 && Double.isFinite(t.originalSeconds()), t.toString());
        assertTrue(t.decomposedSeconds() > 0 && Double.isFinite(t.decomposedSeconds()), t.toString());
        assertEquals(3, t.repetitions());
        assertTrue(conv.isTraining(), "the mode is restored");
    }

    @Test
    void timesLinearLayersOnFeatureInputs() {
        SplittableRandom rng = new SplittableRandom(2);
        LayerTimer.Times t = new ForwardTimer(1, 0, 1).time(new Linear(32, 10, true, rng), new Linear(32, 10, true, rng),
                new int[] {5, 32});
        assertTrue(t.originalSeconds() > 0 && t.decomposedSeconds() > 0, t.toString());
    }
}
