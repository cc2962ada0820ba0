package org.rankfold.engine.train;

/** Counting top-1 hits: logits (N, K) row-major, the prediction is the first index of each row's maximum. */
public final class Accuracy {
    private Accuracy() {
    }

    public static int correct(float[] logits, int[] labels) {
        int n = labels.length;
        int k = logits.length / n;
        int hits = 0;
        for (int i = 0; i < n; i++) {
            int best = 0;
            float max = logits[i * k];
            for (int j = 1; j < k; j++) {
                if (logits[i * k + j] > max) {
                    max = logits[i * k + j];
                    best = j;
                }
            }
            if (best == labels[i]) {
                hits++;
            }
        }
        return hits;
    }
}
