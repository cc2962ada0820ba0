package org.rankfold.engine.optim;

import java.util.ArrayList;
import java.util.List;

import org.rankfold.engine.tensor.Tensor;

/**
 * Updates parameters in place from their accumulated gradients. Parameters without a gradient (never
 * reached by backward) are skipped, as in PyTorch. The learning rate can be changed between steps by a
 * {@link LrSchedule}.
 */
public abstract class Optimizer {
    protected final List<Tensor> parameters;
    private double learningRate;

    protected Optimizer(List<Tensor> parameters, double learningRate) {
        if (!(learningRate >= 0)) {
            throw new IllegalArgumentException("learning rate must be >= 0, got " + learningRate);
        }
        for (Tensor p : parameters) {
            if (!p.requiresGrad()) {
                throw new IllegalArgumentException("optimizer given a tensor that does not require grad: " + p);
            }
        }
        this.parameters = List.copyOf(new ArrayList<>(parameters));
        this.learningRate = learningRate;
    }

    /** One update of every parameter that has a gradient. */
    public abstract void step();

    /** Zeroes every parameter's gradient (buffers kept for reuse). */
    public final void zeroGrad() {
        for (Tensor p : parameters) {
            p.zeroGrad();
        }
    }

    public final double learningRate() {
        return learningRate;
    }

    public final void setLearningRate(double lr) {
        if (!(lr >= 0)) {
            throw new IllegalArgumentException("learning rate must be >= 0, got " + lr);
        }
        this.learningRate = lr;
    }

    public final List<Tensor> parameters() {
        return parameters;
    }
}
