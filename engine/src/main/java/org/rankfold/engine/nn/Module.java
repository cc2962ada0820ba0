package org.rankfold.engine.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.rankfold.engine.tensor.Tensor;

/**
 * A layer or a composition of layers, in PyTorch's style: parameters, buffers (e.g. running statistics)
 * and child modules registered under names, so {@link #namedParameters()} yields names such as
 * "conv1.weight" or "layer1.0.bn1.bias" in registration order; a train/eval mode that applies to the
 * whole subtree.
 *
 * <p>Subclasses implement {@link #compute(Tensor)}; callers use {@link #forward(Tensor)}, which also
 * notifies an attached {@link LayerObserver}.
 *
 * <p>The set of layers is closed: every code path that treats layers differently (checkpoint description,
 * state-dict import, ONNX export, BN folding, cost accounting, regularization, device compilation,
 * decomposition) is an exhaustive {@code switch} over these permitted types, so a new layer does not compile
 * until each of them says what to do with it, and {@code LayerContractTest} fails until the layer has a
 * contract case.
 */
public sealed abstract class Module permits Conv2d, FactorizedConv2d, Linear, BatchNorm2d, ReLU, MaxPool2d, AvgPool2d,
        GlobalAvgPool, Flatten, Dropout, Sequential, BasicBlock, FoldedBasicBlock {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;
    private LayerObserver observer;
    private String observedName = "";

    /** Runs the layer and notifies the observer, if one is attached. */
    public final Tensor forward(Tensor x) {
        Tensor y = compute(x);
        LayerObserver o = observer;
        if (o != null) {
            o.afterForward(observedName, this, x, y);
        }
        return y;
    }

    /** The layer's function. */
    protected abstract Tensor compute(Tensor x);

    /** Registers a trainable parameter (marked as requiring gradients); returns it. */
    protected final Tensor registerParameter(String name, Tensor value) {
        checkName(name);
        value.requiresGrad(true);
        parameters.put(name, value);
        return value;
    }

    /** Registers a non-trainable state tensor that belongs to checkpoints (e.g. running mean). */
    protected final Tensor registerBuffer(String name, Tensor value) {
        checkName(name);
        buffers.put(name, value);
        return value;
    }

    /** Registers a child module; returns it. */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkName(name);
        children.put(name, module);
        return module;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".") || parameters.containsKey(name) || buffers.containsKey(name)
                || children.containsKey(name)) {
            throw new IllegalArgumentException("invalid or duplicate name '" + name + "' in " + getClass().getSimpleName());
        }
    }

    /**
     * Replaces the descendant at {@code qualifiedName} (e.g. "layer1.0.conv1") by {@code replacement}, keeping
     * its name and position; returns the module it replaced. This is how the decomposer swaps a convolution
     * for its factorized form. The replacement keeps whatever mode it has; call {@link #train} afterwards
     * to align modes.
     */
    public final Module replaceModule(String qualifiedName, Module replacement) {
        if (replacement == null) {
            throw new IllegalArgumentException("replacement module is null");
        }
        int dot = qualifiedName.lastIndexOf('.');
        Module parent = dot < 0 ? this : namedModules().get(qualifiedName.substring(0, dot));
        String name = qualifiedName.substring(dot + 1);
        if (parent == null || !parent.children.containsKey(name)) {
            throw new IllegalArgumentException("no module named '" + qualifiedName + "' in " + getClass().getSimpleName());
        }
        Module old = parent.children.put(name, replacement);
        parent.childReplaced(name, old, replacement);
        return old;
    }

    /** Called after a direct child was replaced, for modules that keep their own references to children. */
    protected void childReplaced(String name, Module old, Module replacement) {
    }

    /** The direct child registered under {@code name}; for modules that look children up at forward time. */
    protected final Module child(String name) {
        Module m = children.get(name);
        if (m == null) {
            throw new IllegalStateException("no child '" + name + "' in " + getClass().getSimpleName());
        }
        return m;
    }

    /** Direct children in registration order (read-only). */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** Every parameter of the subtree under its qualified name ("conv1.weight"). */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, true);
        return out;
    }

    /** Every buffer of the subtree under its qualified name ("bn1.running_mean"). */
    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, false);
        return out;
    }

    private void collect(String prefix, Map<String, Tensor> out, boolean params) {
        for (Map.Entry<String, Tensor> e : (params ? parameters : buffers).entrySet()) {
            out.put(prefix + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().collect(prefix + e.getKey() + ".", out, params);
        }
    }

    /** The parameters in {@link #namedParameters()} order. */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** This module (name "") and every descendant under its qualified name, parents first. */
    public final Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        walk("", out);
        return out;
    }

    private void walk(String name, Map<String, Module> out) {
        out.put(name, this);
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().walk(name.isEmpty() ? e.getKey() : name + "." + e.getKey(), out);
        }
    }

    /** Sets training (true) or evaluation (false) mode for the whole subtree; returns this. */
    public Module train(boolean on) {
        training = on;
        for (Module child : children.values()) {
            child.train(on);
        }
        return this;
    }

    /** Evaluation mode for the whole subtree; returns this. */
    public Module eval() {
        return train(false);
    }

    public final boolean isTraining() {
        return training;
    }

    /** Zeroes the gradients of every parameter of the subtree. */
    public final void zeroGrad() {
        for (Tensor p : namedParameters().values()) {
            p.zeroGrad();
        }
    }

    /** Total number of parameter elements. */
    public final long parameterCount() {
        long n = 0;
        for (Tensor p : namedParameters().values()) {
            n += p.size();
        }
        return n;
    }

    /**
     * Attaches {@code observer} (null detaches) to this module and every descendant, each under its
     * qualified name relative to this module ("" for this one).
     */
    public final void observe(LayerObserver observer) {
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            e.getValue().observer = observer;
            e.getValue().observedName = e.getKey();
        }
    }

    /** The observer attached to this module, or null. */
    public final LayerObserver observer() {
        return observer;
    }

    /** Attaches an observer to this single module only (not to descendants) under {@code name}. */
    public final void observeOnly(String name, LayerObserver observer) {
        this.observer = observer;
        this.observedName = name;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName();
    }
}
