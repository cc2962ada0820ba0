package org.rankfold.tools.bench;

import java.util.SplittableRandom;

import org.rankfold.tools.UserError;

/** Checks and defaults shared by the bench subcommands. */
final class BenchOptions {
    private BenchOptions() {
    }

    /** The shared --threads as this package takes it: null for 0 (the default). */
    static Integer threadsOrNull(org.rankfold.tools.options.ThreadsOption o) {
        return o.threads() == 0 ? null : o.threads();
    }

    /** --threads, or the available processors when absent; must be >= 1. */
    static int threads(Integer threads) {
        if (threads == null) {
            return Runtime.getRuntime().availableProcessors();
        }
        if (threads < 1) {
            throw new UserError("--threads must be >= 1, got " + threads);
        }
        return threads;
    }

    static void checkRuns(int runs, double warmup) {
        if (runs < 1) {
            throw new UserError("--runs must be >= 1, got " + runs);
        }
        if (!(warmup >= 0) || warmup > 600) {
            throw new UserError("--warmup must be between 0 and 600 seconds, got " + warmup);
        }
    }

    static float[] uniform(SplittableRandom rng, int len) {
        float[] v = new float[len];
        for (int i = 0; i < len; i++) {
            v[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return v;
    }
}
