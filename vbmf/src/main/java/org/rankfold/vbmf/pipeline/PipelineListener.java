package org.rankfold.vbmf.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import org.rankfold.engine.train.BatchProgress;
import org.rankfold.engine.train.EpochResult;

/** Observes a {@link CompressionPipeline} (progress display); every method has an empty default. */
public interface PipelineListener {

    /** A phase starts ("baseline", "full/train", "plain/tucker", ...). */
    default void phaseStarted(String phase) {
    }

    /** A phase was completed by an earlier run and is skipped ({@code --resume}). */
    default void phaseSkipped(String phase) {
    }

    /** A phase finished with its result (what {@code progress.json} records). */
    default void phaseFinished(String phase, JsonNode result) {
    }

    /**
     * A training epoch of {@code phase} finished; its evaluation ({@link EpochResult#testAccuracy()}) ran on
     * {@code evaluatedOn}: {@code validation} (the held-out training images) or {@code test} (no validation split).
     */
    default void epochFinished(String phase, EpochResult result, String evaluatedOn) {
    }

    /** A training or evaluation batch of {@code phase} finished. */
    default void batch(String phase, BatchProgress progress) {
    }
}
