package org.rankfold.engine.nn;

import org.rankfold.engine.tensor.Tensor;

/** max(x, 0) elementwise (gradient 0 at x == 0, as PyTorch). */
public final class ReLU extends Module {
    @Override
    protected Tensor compute(Tensor x) {
        return x.relu();
    }

    @Override
    public String toString() {
        return "ReLU";
    }
}
