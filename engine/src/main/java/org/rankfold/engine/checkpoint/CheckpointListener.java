package org.rankfold.engine.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.rankfold.engine.train.EpochResult;
import org.rankfold.engine.train.Trainer;
import org.rankfold.engine.train.TrainingListener;
import org.rankfold.engine.train.TrainingState;

/**
 * Saves a checkpoint (weights, optimizer, training state) to {@code dir} at the end of an epoch, replacing
 * the previous one atomically. {@link #latest} saves after every epoch: what {@code --resume} continues
 * from. {@link #best} saves only when an epoch reaches a test accuracy strictly above every earlier
 * epoch's (ties keep the earlier, cheaper-to-reach model); epochs without a test accuracy are ignored.
 */
public final class CheckpointListener implements TrainingListener {
    private final Path dir;
    private final boolean bestOnly;
    private final String modelName;
    private final InputShape input;
    private final JsonNode config;

    private CheckpointListener(Path dir, boolean bestOnly, String modelName, InputShape input, JsonNode config) {
        this.dir = dir;
        this.bestOnly = bestOnly;
        this.modelName = modelName;
        this.input = input;
        this.config = config;
    }

    /** Saves after every epoch. */
    public static CheckpointListener latest(Path dir, String modelName, InputShape input, JsonNode config) {
        return new CheckpointListener(dir, false, modelName, input, config);
    }

    /** Saves the epoch with the best test accuracy so far. */
    public static CheckpointListener best(Path dir, String modelName, InputShape input, JsonNode config) {
        return new CheckpointListener(dir, true, modelName, input, config);
    }

    /** Clears what a killed earlier run left beside the checkpoint (see {@link CheckpointWriter#removeLeftovers}). */
    @Override
    public void onTrainStart(Trainer trainer, TrainingState state) throws IOException {
        CheckpointWriter.removeLeftovers(dir);
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochResult result, TrainingState state) throws IOException {
        if (bestOnly && !isBest(result, state)) {
            return;
        }
        CheckpointWriter.save(dir, trainer.model(), modelName, input, state, trainer.optimizer(), trainer.trainLoader(), config);
    }

    private static boolean isBest(EpochResult result, TrainingState state) {
        if (Double.isNaN(result.testAccuracy())) {
            return false;
        }
        for (EpochResult r : state.history()) {
            if (r != result && !Double.isNaN(r.testAccuracy()) && r.testAccuracy() >= result.testAccuracy()) {
                return false;
            }
        }
        return true;
    }
}
