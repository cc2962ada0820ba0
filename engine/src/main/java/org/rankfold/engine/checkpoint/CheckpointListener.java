package org.rankfold.engine.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.rankfold.engine.train.EpochResult;
import org.rankfold.engine.train.Trainer;
import org.rankfold.engine.train.TrainingListener;
import org.rankfold.engine.train.TrainingState;

/**
 * Saves the latest checkpoint (weights, optimizer, training state) to {@code dir} after every epoch,
 * replacing the previous one atomically: what {@code --resume} continues from.
 */
public final class CheckpointListener implements TrainingListener {
    private final Path dir;
    private final String modelName;
    private final InputShape input;
    private final JsonNode config;

    public CheckpointListener(Path dir, String modelName, InputShape input, JsonNode config) {
        this.dir = dir;
        this.modelName = modelName;
        this.input = input;
        this.config = config;
    }

    /** Clears what a killed earlier run left beside the checkpoint (see {@link CheckpointWriter#removeLeftovers}). */
    @Override
    public void onTrainStart(Trainer trainer, TrainingState state) throws IOException {
        CheckpointWriter.removeLeftovers(dir);
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochResult result, TrainingState state) throws IOException {
        CheckpointWriter.save(dir, trainer.model(), modelName, input, state, trainer.optimizer(), trainer.trainLoader(), config);
    }
}
