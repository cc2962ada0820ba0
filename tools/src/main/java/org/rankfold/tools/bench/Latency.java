package org.rankfold.tools.bench;

import java.util.Arrays;

/**
 * Durations of single calls in nanoseconds, for the latency a caller sees (batch 1 serving): percentiles
 * by the nearest-rank method. Storage is allocated up front so recording does not allocate while timing.
 */
final class Latency {
    private final long[] samples;
    private int count;

    Latency(int capacity) {
        samples = new long[Math.max(1, capacity)];
    }

    /** Records one call; calls beyond the capacity are not kept. */
    void add(long nanos) {
        if (count < samples.length) {
            samples[count++] = nanos;
        }
    }

    int count() {
        return count;
    }

    /** The p-th percentile (0 < p <= 100) by nearest rank; NaN without samples. */
    double percentile(double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
        }
        if (count == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * count);
        return sorted[Math.max(0, rank - 1)];
    }
}
