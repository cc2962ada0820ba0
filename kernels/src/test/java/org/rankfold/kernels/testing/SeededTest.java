package org.rankfold.kernels.testing;

import java.util.SplittableRandom;

/**
 * Base of every randomized test: one fixed seed per test class, so a failure reproduces exactly.
 * Exported in the kernels test-jar for the modules above.
 */
public abstract class SeededTest {
    /** Change only on purpose; recorded expectations depend on it. */
    public static final long SEED = 20240829L;

    protected SplittableRandom random() {
        return new SplittableRandom(SEED ^ getClass().getName().hashCode());
    }

    /** Uniform values in [-1, 1). */
    protected static float[] uniform(SplittableRandom rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return v;
    }
}
