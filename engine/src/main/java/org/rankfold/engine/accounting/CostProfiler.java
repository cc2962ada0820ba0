package org.rankfold.engine.accounting;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.rankfold.engine.nn.AvgPool2d;
import org.rankfold.engine.nn.BasicBlock;
import org.rankfold.engine.nn.BatchNorm2d;
import org.rankfold.engine.nn.Conv2d;
import org.rankfold.engine.nn.Costed;
import org.rankfold.engine.nn.Dropout;
import org.rankfold.engine.nn.FactorizedConv2d;
import org.rankfold.engine.nn.Flatten;
import org.rankfold.engine.nn.FoldedBasicBlock;
import org.rankfold.engine.nn.GlobalAvgPool;
import org.rankfold.engine.nn.LayerObserver;
import org.rankfold.engine.nn.Linear;
import org.rankfold.engine.nn.MaxPool2d;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.nn.ReLU;
import org.rankfold.engine.nn.Sequential;
import org.rankfold.engine.tensor.GradMode;
import org.rankfold.engine.tensor.Tensor;

/**
 * Measures a model's params and MACs by tracing one forward pass of a zero image (batch 1, evaluation
 * mode, no gradients), so every layer sees its real input shape whatever the architecture. Costed layers
 * nested in another costed layer (the three convolutions of a factorized one) are counted once, through
 * the outer layer's formula. The model's modes and observers are restored afterwards; nothing is
 * modified (evaluation mode leaves running statistics alone).
 */
public final class CostProfiler {
    private CostProfiler() {
    }

    /** Costs for one input of shape {@code inputShape} without the batch dimension, e.g. (1, 28, 28). */
    public static CostReport profile(Module model, int... inputShape) {
        Map<String, Module> modules = model.namedModules();
        Map<Module, Boolean> modes = new HashMap<>();
        Map<Module, LayerObserver> observers = new HashMap<>();
        for (Module m : modules.values()) {
            modes.put(m, m.isTraining());
            observers.put(m, m.observer());
        }
        List<LayerCost> layers = new ArrayList<>();
        LayerObserver record = (name, module, input, output) -> {
            int[] in = withoutBatch(input);
            layers.add(new LayerCost(name, module.getClass().getSimpleName(), in, withoutBatch(output),
                    ((Costed) module).weightParameters(), ((Costed) module).macs(in)));
        };
        List<String> costedPrefixes = new ArrayList<>();
        long bnParams = 0;
        for (Map.Entry<String, Module> e : modules.entrySet()) {
            String name = e.getKey();
            Module m = e.getValue();
            boolean costed = switch (m) {
                case Conv2d _, FactorizedConv2d _, Linear _ -> true;
                case BatchNorm2d bn -> {
                    bnParams += 2L * bn.channels();
                    yield false;
                }
                // no weights, or only children that are costed on their own
                case ReLU _, MaxPool2d _, AvgPool2d _, GlobalAvgPool _, Flatten _, Dropout _, Sequential _, BasicBlock _,
                     FoldedBasicBlock _ -> false;
            };
            // a costed layer counts its own children ("" when the model itself is one, e.g. a bare FactorizedConv2d)
            if (costed && costedPrefixes.stream().noneMatch(p -> p.isEmpty() || name.startsWith(p + "."))) {
                costedPrefixes.add(name);
                m.observeOnly(name.isEmpty() ? "<model>" : name, record);
            } else {
                m.observeOnly(name, null);
            }
        }
        int[] batchShape = new int[inputShape.length + 1];
        batchShape[0] = 1;
        System.arraycopy(inputShape, 0, batchShape, 1, inputShape.length);
        try (GradMode.Scope _ = GradMode.noGrad()) {
            model.eval();
            model.forward(Tensor.zeros(batchShape));
        } finally {
            for (Map.Entry<String, Module> e : modules.entrySet()) {
                Module m = e.getValue();
                m.observeOnly(e.getKey(), observers.get(m));
            }
            for (Module m : modules.values()) {
                setOwnMode(m, modes.get(m));
            }
        }
        return new CostReport(inputShape, layers, bnParams);
    }

    private static void setOwnMode(Module m, boolean training) {
        // Module.train is recursive; restoring parents first and children after (namedModules order)
        // gives every module back its own flag.
        m.train(training);
    }

    private static int[] withoutBatch(Tensor t) {
        int[] s = t.shape();
        return Arrays.copyOfRange(s, 1, s.length);
    }
}
