package org.rankfold.engine.train;

/** The metrics of one batch that leave a device: mean cross-entropy over the batch and top-1 hits. */
public record StepResult(double loss, long correct) {
}
