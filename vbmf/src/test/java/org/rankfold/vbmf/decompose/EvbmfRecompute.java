package org.rankfold.vbmf.decompose;

import com.fasterxml.jackson.databind.JsonNode;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a reader of {@code audit.jsonl} does to check a rank, written from docs/method.md rather than with
 * the library: for the unfolding {@code rows x cols}, {@code L = min}, {@code M = max}, {@code alpha = L/M},
 * {@code tau = 2.5129 sqrt(alpha)}, threshold {@code sqrt(sigma2 * M * (1 + tau) * (1 + alpha / tau))}
 * (Nakajima et al. 2013); the EVBMF rank is the number of singular values strictly above it.
 */
final class EvbmfRecompute {
    private EvbmfRecompute() {
    }

    /** The EVBMF rank from one audit unfolding record; also checks the recorded threshold. */
    static int rank(JsonNode unfolding) {
        int rows = unfolding.get("shape").get(0).asInt();
        int cols = unfolding.get("shape").get(1).asInt();
        double sigma2 = unfolding.get("sigma2").asDouble();
        double l = Math.min(rows, cols);
        double m = Math.max(rows, cols);
        double alpha = l / m;
        double tau = 2.5129 * Math.sqrt(alpha);
        double threshold = Math.sqrt(sigma2 * m * (1 + tau) * (1 + alpha / tau));
        assertEquals(threshold, unfolding.get("threshold").asDouble(), 1e-9 * threshold, "recorded threshold");
        JsonNode sv = unfolding.get("singular_values");
        assertEquals((int) l, sv.size(), "all singular values recorded");
        int rank = 0;
        for (JsonNode s : sv) {
            rank += s.asDouble() > threshold ? 1 : 0;
        }
        return rank;
    }
}
