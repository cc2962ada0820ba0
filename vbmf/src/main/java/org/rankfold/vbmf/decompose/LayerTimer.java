package org.rankfold.vbmf.decompose;

import org.rankfold.engine.nn.Module;

/**
 * Times the forward pass of a layer and of its decomposed form ({@link SpeedCheck}). The real one is
 * {@link ForwardTimer}; tests inject a deterministic one.
 */
@FunctionalInterface
public interface LayerTimer {

    /**
     * Median seconds per forward call of each module (neither is modified; both take the same input).
     *
     * @param original   the layer as it is in the model
     * @param decomposed its decomposed form (random factors of the planned ranks: time does not depend on values)
     * @param inputShape the input of one call, batch first: {@code (N, C, H, W)} or {@code (N, in)}
     */
    Times time(Module original, Module decomposed, int[] inputShape);

    /**
     * @param originalSeconds   median seconds per call of the original
     * @param decomposedSeconds median seconds per call of the decomposed form
     * @param repetitions       timed calls per form
     */
    record Times(double originalSeconds, double decomposedSeconds, int repetitions) {
    }
}
