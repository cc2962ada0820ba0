package org.rankfold.tools.bench;

import java.util.Arrays;

/**
 * Repeated timing of one operation: a warm-up (so C2 has compiled the kernels), then {@code runs} timed
 * runs, each repeating the operation enough times to last at least {@code minRunSeconds}; reports seconds
 * per operation, median and spread.
 *
 * @param median seconds per operation, median over the runs
 * @param min    fastest run
 * @param max    slowest run
 * @param reps   operations per run
 */
public record Timing(double median, double min, double max, int reps) {

    /** Times {@code op}; warm-up calls are not timed. */
    public static Timing measure(Runnable op, int runs, double warmupSeconds, double minRunSeconds) {
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be >= 1, got " + runs);
        }
        // warm-up: at least warmupSeconds and 20 calls, so C2 has compiled the kernels (the Vector API is
        // hundreds of times slower before that); then calibrate on fresh calls, not on the warm-up's
        long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
        int calls = 0;
        while (calls < 20 || System.nanoTime() < warmEnd) {
            op.run();
            calls++;
        }
        long single = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            op.run();
            single = Math.min(single, System.nanoTime() - t0);
        }
        int reps = (int) Math.max(1, Math.min(1_000_000, Math.ceil(minRunSeconds * 1e9 / Math.max(1, single))));
        double[] perOp = new double[runs];
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                op.run();
            }
            perOp[r] = (System.nanoTime() - t0) / 1e9 / reps;
        }
        Arrays.sort(perOp);
        double median = runs % 2 == 1 ? perOp[runs / 2] : (perOp[runs / 2 - 1] + perOp[runs / 2]) / 2;
        return new Timing(median, perOp[0], perOp[runs - 1], reps);
    }
}
