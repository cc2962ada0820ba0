package org.rankfold.engine.accounting;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.rankfold.engine.nn.BatchNorm2d;
import org.rankfold.engine.nn.Conv2d;
import org.rankfold.engine.nn.FactorizedConv2d;
import org.rankfold.engine.nn.Flatten;
import org.rankfold.engine.nn.Linear;
import org.rankfold.engine.nn.MaxPool2d;
import org.rankfold.engine.nn.NonFiniteGuard;
import org.rankfold.engine.nn.ReLU;
import org.rankfold.engine.nn.Sequential;
import org.rankfold.engine.ops.ConvSpec;
import org.rankfold.kernels.testing.SeededTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CostProfilerTest extends SeededTest {

    private Sequential model() {
        return new Sequential()
                .add("conv1", new Conv2d(1, 4, 3, 1, 1, true, random()))       // 1x8x8 -> 4x8x8
                .add("bn1", new BatchNorm2d(4))
                .add("relu", new ReLU())
                .add("fconv", new FactorizedConv2d(4, 6, ConvSpec.square(3, 2, 1, 1), 3, 5, false, random())) // -> 6x4x4
                .add("pool", new MaxPool2d(2, 2, 0))                                // -> 6x2x2
                .add("flatten", new Flatten())
                .add("fc", new Linear(24, 10, true, random()));
    }

    @Test
    void perLayerParamsAndMacsByHand() {
        Sequential net = model();
        CostReport r = CostProfiler.profile(net, 1, 8, 8);
        List<LayerCost> layers = r.layers();
        assertEquals(List.of("conv1", "fconv", "fc"), layers.stream().map(LayerCost::name).toList());
        // conv1: params 4*1*9 + 4 = 40; MACs OH*OW*OC*C*k*k = 64*4*9 = 2304
        assertEquals(40, layers.get(0).parameters());
        assertEquals(2304, layers.get(0).macs());
        // fconv (docs/method.md): H*W*C*R_in + OH*OW*R_in*R_out*k*k + OH*OW*R_out*S = 64*4*3 + 16*3*5*9 + 16*5*6
        assertEquals(64 * 4 * 3 + 16 * 3 * 5 * 9 + 16 * 5 * 6, layers.get(1).macs());
        assertEquals(3 * 4 + 5 * 3 * 9 + 6 * 5, layers.get(1).parameters());
        assertArrayEquals(new int[] {6, 4, 4}, layers.get(1).outputShape());
        // fc: 24*10 + 10 params, 240 MACs
        assertEquals(250, layers.get(2).parameters());
        assertEquals(240, layers.get(2).macs());
        assertEquals(8, r.batchNormParameters());
        assertEquals(40 + 3 * 4 + 5 * 3 * 9 + 6 * 5 + 250, r.parameters());
        assertEquals(net.parameterCount(), r.parameters() + r.batchNormParameters());
        assertEquals(2 * r.macs(), r.flops());
        assertTrue(r.table().contains("FLOPs = 2 x MACs"));
    }

    @Test
    void foldingKeepsOutputShapeAndChangesCost() {
        FactorizedConv2d f = new FactorizedConv2d(4, 6, ConvSpec.square(3, 1, 1, 1), 2, 2, true, random());
        CostReport factored = CostProfiler.profile(new Sequential().add("c", f), 4, 10, 10);
        CostReport folded = CostProfiler.profile(new Sequential().add("c", f.fold()), 4, 10, 10);
        assertEquals(6 * 4 * 9 + 6, folded.parameters());
        assertEquals(100L * 6 * 4 * 9, folded.macs());
        assertEquals(100L * 4 * 2 + 100L * 2 * 2 * 9 + 100L * 2 * 6, factored.macs());
        double[] ratios = CostReport.ratios(folded, factored);
        assertEquals((double) folded.parameters() / factored.parameters(), ratios[0]);
    }

    @Test
    void restoresModeAndObserversAndLeavesStateAlone() {
        Sequential net = model();
        NonFiniteGuard.attach(net);
        BatchNorm2d bn = (BatchNorm2d) net.layers().get(1);
        float[] meanBefore = bn.runningMean().data().clone();
        CostProfiler.profile(net, 1, 8, 8);
        assertTrue(net.isTraining());
        assertTrue(bn.isTraining());
        assertArrayEquals(meanBefore, bn.runningMean().data());
        assertNotNull(net.layers().get(0).observer());
    }
}
