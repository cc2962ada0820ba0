package org.rankfold.engine.nn;

import org.rankfold.engine.tensor.Tensor;

/**
 * Sees every forward of the modules it is attached to, with the module's qualified name (e.g.
 * "layer1.0.conv1"): used by the non-finite guard and by the params/MACs profiler.
 */
@FunctionalInterface
public interface LayerObserver {
    void afterForward(String name, Module module, Tensor input, Tensor output);
}
