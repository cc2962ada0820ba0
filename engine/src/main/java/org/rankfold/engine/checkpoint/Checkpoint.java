package org.rankfold.engine.checkpoint;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.engine.nn.Module;
import org.rankfold.engine.train.TrainingState;

/**
 * A checkpoint as loaded by {@link CheckpointReader} (or given to {@link CheckpointWriter}): the model
 * with its weights, its zoo name (or another label), the input it was built for, the training state, the
 * optimizer state ({@code optimizerType} null and no tensors when none was saved), the data loader
 * seed, and the run's configuration (free-form JSON written by the caller, e.g. the CLI's options, used to
 * resume with the same settings).
 */
public record Checkpoint(Module model, String modelName, InputShape input, TrainingState training, String optimizerType,
                         Map<String, NpyArray> optimizerTensors, long dataSeed, JsonNode config) {
    public Checkpoint {
        optimizerTensors = Map.copyOf(optimizerTensors);
    }
}
