package org.rankfold.engine.tensor;

/**
 * Backward function of one op: given {@code dout}, the gradient of the loss with respect to the op's
 * output (read-only, same layout as the output), it <b>adds</b> the gradients of the inputs to their
 * {@link Tensor#gradForAccumulation()} buffers. It must skip inputs that do not require gradients.
 */
@FunctionalInterface
public interface Backward {
    void accumulate(float[] dout);
}
