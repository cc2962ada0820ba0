package org.rankfold.engine.train;

import org.rankfold.engine.nn.Module;
import org.rankfold.engine.tensor.Tensor;

/**
 * A term added to the cross-entropy before backward, e.g. lambda * an orthogonality penalty over the
 * model's weights (docs/method.md). Called once per training step, after the forward pass, with gradients
 * enabled; returns a scalar tensor (shape [] or [1]) connected to the parameters it penalizes.
 */
@FunctionalInterface
public interface ExtraLoss {
    Tensor term(Module model, int epoch, long step);
}
