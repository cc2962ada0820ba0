package org.rankfold.vbmf.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.rankfold.engine.nn.FactorizedConv2d;
import org.rankfold.engine.nn.Module;

/** Replacing and folding layers of a model by qualified name. */
public final class ModelSurgery {
    private ModelSurgery() {
    }

    /** Replaces the module named {@code name} ("layer1.0.conv1") by {@code replacement}. */
    public static void replace(Module model, String name, Module replacement) {
        int dot = name.lastIndexOf('.');
        if (name.isEmpty()) {
            throw new IllegalArgumentException("cannot replace the model itself");
        }
        Module parent = dot < 0 ? model : model.namedModules().get(name.substring(0, dot));
        if (parent == null) {
            throw new IllegalArgumentException("no module named '" + name.substring(0, dot) + "'");
        }
        parent.replaceChild(name.substring(dot + 1), replacement);
    }

    /**
     * Folds every {@link FactorizedConv2d} back to the single convolution with its effective kernel (exact,
     * DESIGN.md 2.1); returns the folded layers' names.
     */
    public static List<String> foldAll(Module model) {
        List<String> folded = new ArrayList<>();
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            if (e.getValue() instanceof FactorizedConv2d f && !e.getKey().isEmpty()) {
                replace(model, e.getKey(), f.fold());
                folded.add(e.getKey());
            }
        }
        return folded;
    }
}
