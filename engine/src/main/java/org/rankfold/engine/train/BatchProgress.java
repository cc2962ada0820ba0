package org.rankfold.engine.train;

/**
 * Where a running epoch stands, after each batch: {@code phase} is {@link Phase#TRAIN} or
 * {@link Phase#EVAL}; {@code epoch} counts from 1 to {@code epochs}; {@code batch} from 1 to
 * {@code batches}; {@code loss} and {@code accuracy} are the running image-weighted means of the phase so
 * far; {@code imagesPerSecond} is the phase's throughput so far and {@code elapsedSeconds} its wall time.
 */
public record BatchProgress(Phase phase, int epoch, int epochs, int batch, int batches, long images, double loss,
                            double accuracy, double imagesPerSecond, double elapsedSeconds) {

    /** Training or evaluation. */
    public enum Phase {
        TRAIN, EVAL;

        /** "train" or "eval". */
        public String label() {
            return this == TRAIN ? "train" : "eval";
        }
    }

    /** Seconds left in this phase at the current rate (NaN before the first batch is timed). */
    public double phaseEtaSeconds() {
        return batch == 0 || elapsedSeconds <= 0 ? Double.NaN : elapsedSeconds / batch * (batches - batch);
    }
}
