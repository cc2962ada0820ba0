package org.rankfold.engine.train;

import org.rankfold.datasets.loader.Batch;

/**
 * A model resident on a {@link ComputeDevice}: batches go in, metrics come out, and the host model is
 * updated only by {@link #syncToHost()}.
 */
public interface DeviceSession extends AutoCloseable {

    /**
     * One training step on {@code batch} in training mode: forward, cross-entropy, backward, the optional
     * {@code extraLoss} (its gradient added to the parameters'), the optimizer step at the optimizer's
     * current learning rate. Returns the mean cross-entropy (without the extra term) and the hits.
     */
    StepResult trainStep(Batch batch, ExtraLoss extraLoss, int epoch, long step);

    /** Forward in evaluation mode (running BN statistics, no dropout): mean cross-entropy and hits. */
    StepResult evalStep(Batch batch);

    /**
     * Writes the device's parameters, buffers (BN running statistics) and optimizer state into the host
     * model and optimizer, so checkpoints, listeners and host code see the trained values.
     */
    void syncToHost();

    /** Releases the device memory of this session (the device itself stays open). */
    @Override
    void close();
}
