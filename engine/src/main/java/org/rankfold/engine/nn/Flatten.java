package org.rankfold.engine.nn;

import org.rankfold.engine.tensor.Tensor;

/** (N, d1, d2, ...) -> (N, d1*d2*...) in C order (a view, no copy). */
public final class Flatten extends Module {
    @Override
    protected Tensor compute(Tensor x) {
        if (x.rank() < 1) {
            throw new IllegalArgumentException("Flatten needs a batch dimension");
        }
        return x.reshape(x.dim(0), -1);
    }

    @Override
    public String toString() {
        return "Flatten";
    }
}
