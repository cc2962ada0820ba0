package org.rankfold.engine.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.rankfold.engine.tensor.Tensor;

/** Applies its children in order. Children are named "0", "1", ... unless {@link #add(String, Module)} names them. */
public final class Sequential extends Module {
    private final List<Module> layers = new ArrayList<>();

    public Sequential(Module... modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    /** Appends a child named by its position. */
    public Sequential add(Module module) {
        return add(Integer.toString(layers.size()), module);
    }

    /** Appends a child under {@code name}. */
    public Sequential add(String name, Module module) {
        layers.add(registerModule(name, module));
        return this;
    }

    @Override
    protected void childReplaced(String name, Module old, Module replacement) {
        layers.replaceAll(m -> m == old ? replacement : m);
    }

    public List<Module> layers() {
        return Collections.unmodifiableList(layers);
    }

    @Override
    protected Tensor compute(Tensor x) {
        Tensor y = x;
        for (int i = 0; i < layers.size(); i++) {
            Module m = layers.get(i);
            // BatchNorm2d then an unobserved ReLU: one fused op (see BatchNorm2d.forwardRelu)
            if (m instanceof BatchNorm2d bn && i + 1 < layers.size() && layers.get(i + 1) instanceof ReLU relu
                    && relu.observer() == null) {
                y = bn.forwardRelu(y);
                i++;
                continue;
            }
            y = m.forward(y);
        }
        return y;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Sequential(");
        children().forEach((k, v) -> sb.append("\n  (").append(k).append("): ").append(v));
        return sb.append("\n)").toString();
    }
}
