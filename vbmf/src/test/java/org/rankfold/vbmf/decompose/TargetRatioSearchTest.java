package org.rankfold.vbmf.decompose;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.rankfold.engine.nn.Conv2d;
import org.rankfold.engine.nn.Flatten;
import org.rankfold.engine.nn.Sequential;
import org.rankfold.engine.ops.ConvSpec;
import org.rankfold.kernels.testing.SeededTest;
import org.rankfold.vbmf.rank.EvbmfSelector;
import org.rankfold.vbmf.rank.EvbmfStrengthSelector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TargetRatioSearchTest extends SeededTest {

    private Sequential model() {
        return plantedModel(random());
    }

    /** A stem, a 3x3 convolution with planted ranks 3/3 and a linear layer with planted rank 2, on 1x6x6 inputs. */
    static Sequential plantedModel(SplittableRandom rng) {
        return new Sequential().add("stem", new Conv2d(1, 16, 3, 1, 1, false, rng))
                .add("conv", PlantedLayers.conv(rng, 24, 16, 3, 3, 3, 0.05, ConvSpec.square(3, 1, 1, 1)))
                .add("flatten", new Flatten())
                .add("fc", PlantedLayers.linear(rng, 10, 24 * 6 * 6, 2, 0.01));
    }

    @Test
    void findsTheLeastAggressiveWeakeningThatMeetsTheTarget() {
        Sequential net = model();
        int[] in = {1, 6, 6};
        DecomposerOptions o = DecomposerOptions.defaults();
        double full = DecompositionPlanner.plan(net, in, o.withSelector(new EvbmfSelector())).paramsRatio();
        double target = 1 + 0.5 * (full - 1);
        TargetRatioSearch.Result r = TargetRatioSearch.search(net, in, o,
                w -> new EvbmfSelector(w, 1, Integer.MAX_VALUE), TargetRatioSearch.Measure.PARAMS, target);
        assertTrue(r.met());
        assertTrue(r.weakening() > 0 && r.weakening() < 1, "w = " + r.weakening());
        assertTrue(r.plan().paramsRatio() >= target);
        double below = Math.max(0, r.weakening() - 2 * TargetRatioSearch.TOLERANCE);
        assertTrue(DecompositionPlanner.plan(net, in, o.withSelector(new EvbmfSelector(below, 1, Integer.MAX_VALUE)))
                .paramsRatio() < target, "a clearly smaller w misses the target");
        assertEquals(1.0, r.steps().get(0).weakening());
    }

    @Test
    void anUnreachableTargetReturnsThePlainEvbmfPlanAndSaysSo() {
        Sequential net = model();
        TargetRatioSearch.Result r = TargetRatioSearch.search(net, new int[] {1, 6, 6}, DecomposerOptions.defaults(),
                w -> new EvbmfSelector(w, 1, Integer.MAX_VALUE), TargetRatioSearch.Measure.MACS, 1e6);
        assertFalse(r.met());
        assertEquals(1.0, r.weakening());
        assertEquals(1, r.steps().size());
    }

    @Test
    void beyondPlainEvbmfTheRaisedThresholdReachesLargerTargets() {
        Sequential net = model();
        int[] in = {1, 6, 6};
        DecomposerOptions o = DecomposerOptions.defaults();
        double atEvbmf = DecompositionPlanner.plan(net, in, o.withSelector(new EvbmfSelector())).paramsRatio();
        double smallest = DecompositionPlanner.plan(net, in, o.withSelector(new EvbmfStrengthSelector(2, 1,
                Integer.MAX_VALUE))).paramsRatio();
        assertTrue(smallest > atEvbmf, "rank 1 everywhere compresses more than EVBMF: " + smallest + " vs " + atEvbmf);
        double target = 0.5 * (atEvbmf + smallest);
        TargetRatioSearch.Result r = TargetRatioSearch.search(net, in, o,
                t -> EvbmfStrengthSelector.at(t, 1, Integer.MAX_VALUE), TargetRatioSearch.Measure.PARAMS, target,
                EvbmfStrengthSelector.MAX_STRENGTH);
        assertTrue(r.met());
        assertTrue(r.weakening() > 1 && r.weakening() <= 2, "t = " + r.weakening());
        assertTrue(r.plan().paramsRatio() >= target);
    }

    @Test
    void theStrengthScaleIsMonotoneAndKeepsTheEvbmfRankOnRecord() {
        org.ejml.data.DMatrixRMaj m = org.rankfold.vbmf.testing.RandomMatrices.planted(random(), 12, 30,
                new double[] {9, 7, 5, 4, 3}, 0.05);
        int evbmf = new EvbmfSelector().select(m).rank();
        int previous = Integer.MAX_VALUE;
        for (double t : new double[] {0, 0.5, 1, 1.25, 1.5, 1.75, 2}) {
            var c = EvbmfStrengthSelector.at(t, 1, Integer.MAX_VALUE).select(m);
            assertTrue(c.rank() <= previous, "rank at t = " + t + " is " + c.rank() + " after " + previous);
            assertEquals(evbmf, c.proposedRank(), "proposed rank stays EVBMF's");
            previous = c.rank();
        }
        assertEquals(12, EvbmfStrengthSelector.at(0, 1, Integer.MAX_VALUE).select(m).rank());
        assertEquals(5, evbmf);
        assertEquals(1, previous, "t = 2 keeps one component");
    }
}
