package org.rankfold.vbmf.audit;

/**
 * The speed check of one layer ({@code --speed-aware}, docs/method.md): the forward time of the layer as it is
 * and of its decomposed form (1x1 -> kxk -> 1x1 for Tucker-2, two factors for an SVD) on the layer's real
 * input shape at the run's batch size and thread count, each the median of {@code repetitions} timed calls
 * after warm-up. The decomposition is kept only if
 * {@code decomposedSeconds < originalSeconds * (1 - margin)}.
 *
 * @param originalSeconds   median seconds per forward call of the layer as it is
 * @param decomposedSeconds median seconds per forward call of the decomposed form
 * @param margin            the fraction the decomposed form must be faster by, in [0, 1)
 * @param batch             images per timed call
 * @param threads           compute threads during the timing
 * @param repetitions       timed calls per form (after warm-up)
 */
public record LayerTiming(double originalSeconds, double decomposedSeconds, double margin, int batch, int threads,
                          int repetitions) {

    public LayerTiming {
        if (!(originalSeconds >= 0) || !(decomposedSeconds >= 0) || !(margin >= 0 && margin < 1) || batch < 1
                || threads < 1 || repetitions < 1) {
            throw new IllegalArgumentException("timings must be >= 0, margin in [0, 1), batch, threads and repetitions"
                    + " >= 1; got seconds " + originalSeconds + " and " + decomposedSeconds + ", margin " + margin
                    + ", batch " + batch + ", threads " + threads + ", repetitions " + repetitions);
        }
    }

    /** True when the decomposed form is faster by the margin: the layer is decomposed. */
    public boolean faster() {
        return decomposedSeconds < originalSeconds * (1 - margin);
    }

    /** Original / decomposed time (above 1: the decomposed form is faster). */
    public double speedup() {
        return originalSeconds / decomposedSeconds;
    }
}
