package org.rankfold.engine.checkpoint;

/** File names and format tags of a checkpoint directory (docs/file-formats.md, checkpoint directory). */
final class CheckpointFiles {
    static final String MODEL = "model.json";
    static final String WEIGHTS = "weights.safetensors";
    static final String STATE = "state.json";
    static final String OPTIMIZER = "optimizer.safetensors";
    static final String MODEL_FORMAT = "rankfold-model";
    static final String STATE_FORMAT = "rankfold-state";
    static final int VERSION = 1;

    private CheckpointFiles() {
    }
}
