package org.rankfold.engine.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.rankfold.engine.train.EpochResult;
import org.rankfold.engine.train.Trainer;
import org.rankfold.engine.train.TrainingListener;
import org.rankfold.engine.train.TrainingState;

/**
 * Saves a checkpoint to {@code dir} whenever an epoch reaches a test accuracy strictly above every earlier
 * epoch's (ties keep the earlier, cheaper-to-reach model). Epochs without a test accuracy are ignored.
 */
public final class BestCheckpointListener implements TrainingListener {
    private final Path dir;
    private final String modelName;
    private final InputShape input;
    private final JsonNode config;

    public BestCheckpointListener(Path dir, String modelName, InputShape input, JsonNode config) {
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
        if (Double.isNaN(result.testAccuracy())) {
            return;
        }
        for (EpochResult r : state.history()) {
            if (r != result && !Double.isNaN(r.testAccuracy()) && r.testAccuracy() >= result.testAccuracy()) {
                return;
            }
        }
        CheckpointWriter.save(dir, trainer.model(), modelName, input, state, trainer.optimizer(), trainer.trainLoader(), config);
    }
}
