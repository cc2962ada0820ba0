package org.rankfold.engine.zoo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.rankfold.engine.nn.BatchNorm2d;
import org.rankfold.engine.nn.Costed;
import org.rankfold.engine.nn.LayerObserver;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.tensor.GradMode;
import org.rankfold.engine.tensor.Tensor;

/**
 * Params and MACs of a model, per layer and in total (DESIGN.md 2.5), measured by one forward pass of a
 * single zero image in evaluation mode without gradients: each {@link Costed} layer is charged for the
 * input shape it actually receives. A {@link Costed} layer inside another one (the three convolutions of
 * a FactorizedConv2d) is counted once, by the outer layer. FLOPs = 2 x MACs.
 *
 * <p>The model's observers are replaced during the pass and detached afterwards (so profile before
 * attaching a NaN guard); its train/eval mode is restored.
 */
public record ModelCost(List<LayerCost> layers, long params, long bnParams, long macs) {

    public ModelCost {
        layers = List.copyOf(layers);
    }

    /** Profiles {@code model} on an input of shape {@code input} (batch of one). */
    public static ModelCost of(Module model, InputShape input) {
        Map<String, Module> modules = model.namedModules();
        Map<String, int[]> inShapes = new LinkedHashMap<>();
        Map<String, int[]> outShapes = new LinkedHashMap<>();
        LayerObserver recorder = (name, module, x, y) -> {
            inShapes.put(name, Arrays.copyOfRange(x.shape(), 1, x.rank()));
            outShapes.put(name, Arrays.copyOfRange(y.shape(), 1, y.rank()));
        };
        boolean wasTraining = model.isTraining();
        model.observe(recorder);
        try (GradMode.Scope s = GradMode.noGrad()) {
            model.eval();
            model.forward(Tensor.zeros(1, input.channels(), input.height(), input.width()));
        } finally {
            model.observe(null);
            model.train(wasTraining);
        }
        List<LayerCost> rows = new ArrayList<>();
        long params = 0;
        long bn = 0;
        long macs = 0;
        for (Map.Entry<String, Module> e : modules.entrySet()) {
            String name = e.getKey();
            Module m = e.getValue();
            if (!inShapes.containsKey(name) || insideCosted(name, modules)) {
                continue;
            }
            boolean leaf = m.children().isEmpty();
            if (!(m instanceof Costed) && !leaf) {
                continue; // containers: their layers have their own rows
            }
            long p = m instanceof Costed c ? c.weightParameters() : 0;
            long mac = m instanceof Costed c ? c.macs(inShapes.get(name)) : 0;
            long b = m instanceof BatchNorm2d norm ? 2L * norm.channels() : 0;
            rows.add(new LayerCost(name.isEmpty() ? "<model>" : name, m.getClass().getSimpleName(), outShapes.get(name), p, b, mac));
            params += p;
            bn += b;
            macs += mac;
        }
        return new ModelCost(rows, params, bn, macs);
    }

    private static boolean insideCosted(String name, Map<String, Module> modules) {
        String prefix = name;
        while (!prefix.isEmpty()) {
            int dot = prefix.lastIndexOf('.');
            prefix = dot < 0 ? "" : prefix.substring(0, dot);
            if (modules.get(prefix) instanceof Costed) {
                return true;
            }
        }
        return false;
    }

    /** FLOPs per image, always 2 x MACs. */
    public long flops() {
        return 2 * macs;
    }
}
