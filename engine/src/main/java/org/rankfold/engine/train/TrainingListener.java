package org.rankfold.engine.train;

import java.io.IOException;

/**
 * Observes a {@link Trainer}: every method has an empty default, so a listener implements only what it
 * needs. Listeners run on the training thread in registration order; an {@link IOException} (e.g. from a
 * checkpoint write) stops training and reaches the caller of {@link Trainer#fit()}.
 */
public interface TrainingListener {

    /** Before the first epoch that will run ({@code state} tells whether this is a resume). */
    default void onTrainStart(Trainer trainer, TrainingState state) throws IOException {
    }

    /** After each training or evaluation batch: the progress line lives here. */
    default void onBatch(BatchProgress progress) {
    }

    /** After each epoch and its evaluation; {@code state} already counts this epoch. */
    default void onEpochEnd(Trainer trainer, EpochResult result, TrainingState state) throws IOException {
    }

    /** After the last epoch. */
    default void onTrainEnd(Trainer trainer, TrainingState state) throws IOException {
    }
}
