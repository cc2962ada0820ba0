package org.rankfold.tools.verify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code ranks} check: every EVBMF rank and threshold of {@code audit.jsonl} derived again from the
 * spectrum and sigma^2 the record holds, written from the method's formulas (docs/method.md) rather than
 * with the code that produced them. For an unfolding of {@code rows x cols}: {@code L = min}, {@code M = max},
 * {@code alpha = L/M}, {@code tau = 2.5129 sqrt(alpha)}, threshold
 * {@code sqrt(sigma2 * M * (1 + tau) * (1 + alpha/tau))} (Nakajima et al. 2013); the EVBMF rank is the number
 * of singular values strictly above it. The rank used then follows from the selector the record names:
 * {@code evbmf(w=W, min=A, max=B)}: MUSCO's weakening {@code full - floor(W (full - rank))}, 0 raised to 1, then
 * clamped to [A, B] and the full rank; {@code evbmf(strength=T)} with T &gt; 1: the number of singular values
 * above {@code threshold + (T - 1)(s_1 - threshold)}, 0 raised to 1, then clamped. A decomposed layer's
 * ranks must be those of its unfoldings.
 */
final class EvbmfCheck {
    static final String NAME = "ranks";
    /** Relative tolerance of the recorded threshold (it was computed in float64 from the same numbers). */
    static final double THRESHOLD_TOLERANCE = 1e-9;
    private static final Pattern SELECTOR = Pattern.compile("evbmf(?:\\((.*)\\))?");

    private EvbmfCheck() {
    }

    static Check run(RunRecords run) {
        List<String> problems = new ArrayList<>();
        int derived = 0;
        int other = 0;
        for (JsonNode r : run.audit()) {
            if (!r.has("unfoldings")) {
                continue;
            }
            String layer = r.path("layer").asText("?") + (r.has("phase") ? " (" + r.get("phase").asText() + ")" : "");
            List<Integer> used = new ArrayList<>();
            for (JsonNode u : r.get("unfoldings")) {
                String where = layer + " mode " + u.path("mode").asText("?");
                Matcher m = SELECTOR.matcher(u.path("selector").asText(""));
                if (!m.matches() || u.path("sigma2").isNull() || !u.has("sigma2")) {
                    other++;
                    used.add(u.path("rank").asInt(-1));
                    continue;
                }
                derived++;
                String problem = unfolding(u, params(m.group(1)));
                if (problem != null) {
                    problems.add(where + ": " + problem);
                }
                used.add(u.path("rank").asInt(-1));
            }
            String kind = r.path("decomposition").asText("");
            if ((kind.equals("tucker2") || kind.equals("svd")) && r.has("ranks")) {
                List<Integer> ranks = new ArrayList<>();
                r.get("ranks").forEach(x -> ranks.add(x.asInt()));
                if (!ranks.equals(used)) {
                    problems.add(layer + ": the layer's ranks " + ranks + " are not its unfoldings' ranks " + used);
                }
            }
        }
        if (derived == 0 && problems.isEmpty()) {
            return Check.skipped(NAME, run.audit().isEmpty() ? "no audit.jsonl" : "no EVBMF rank in audit.jsonl");
        }
        return Check.of(NAME, derived + " EVBMF rank(s) and threshold(s) derived again from the recorded spectra and sigma^2"
                + (other > 0 ? " (" + other + " rank(s) of other selectors not derivable)" : ""), problems);
    }

    /** The problem with one unfolding record, or null when its threshold and ranks follow from its numbers. */
    private static String unfolding(JsonNode u, Map<String, Double> selector) {
        JsonNode shape = u.path("shape");
        JsonNode sv = u.path("singular_values");
        if (shape.size() != 2 || !shape.get(0).canConvertToInt() || !shape.get(1).canConvertToInt() || !sv.isArray()) {
            return "the record lacks its shape or singular values";
        }
        int rows = shape.get(0).asInt();
        int cols = shape.get(1).asInt();
        double sigma2 = u.path("sigma2").asDouble(Double.NaN);
        if (rows < 1 || cols < 1 || !(sigma2 >= 0)) {
            return "shape " + shape + " and sigma2 " + u.path("sigma2") + " are not an unfolding's";
        }
        double l = Math.min(rows, cols);
        double mm = Math.max(rows, cols);
        if (sv.size() != (int) l) {
            return sv.size() + " singular values recorded, the " + rows + "x" + cols + " unfolding has " + (int) l;
        }
        double[] s = new double[sv.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = sv.get(i).asDouble(Double.NaN);
            if (!(s[i] >= 0) || (i > 0 && s[i] > s[i - 1])) {
                return "singular value " + i + " (" + sv.get(i) + ") is not a descending non-negative number";
            }
        }
        double alpha = l / mm;
        double tau = 2.5129 * Math.sqrt(alpha);
        double threshold = Math.sqrt(sigma2 * mm * (1 + tau) * (1 + alpha / tau));
        double recorded = u.path("threshold").asDouble(Double.NaN);
        if (!(Math.abs(recorded - threshold) <= THRESHOLD_TOLERANCE * threshold)) {
            return String.format(Locale.ROOT, "recorded threshold %s, but sigma2 %s gives %.17g", u.path("threshold"), sigma2, threshold);
        }
        int evbmf = above(s, threshold);
        if (u.path("proposed_rank").asInt(-1) != evbmf) {
            return "recorded EVBMF rank " + u.path("proposed_rank") + ", but " + evbmf + " singular values lie above the threshold "
                    + threshold;
        }
        int full = s.length;
        double strength = selector.getOrDefault("strength", 1.0);
        int candidate;
        if (strength > 1) {
            candidate = above(s, threshold + (strength - 1) * (s[0] - threshold));
        } else {
            double w = selector.getOrDefault("strength", selector.getOrDefault("w", 1.0));
            candidate = full - (int) Math.floor(w * (full - evbmf) + 1e-9);
        }
        boolean zero = candidate < 1;
        int rank = Math.max(candidate, 1);
        int min = selector.getOrDefault("min", 1.0).intValue();
        int max = selector.containsKey("max") ? selector.get("max").intValue() : Integer.MAX_VALUE;
        rank = Math.min(rank, Math.min(max, full));
        if (rank < min && rank < full) {
            rank = Math.min(min, full);
        }
        if (u.path("rank").asInt(-1) != rank) {
            return "recorded rank " + u.path("rank") + ", but the EVBMF rank " + evbmf + " with " + u.path("selector").asText()
                    + " gives " + rank;
        }
        if (u.has("clamped_to_one") && u.get("clamped_to_one").asBoolean() != zero) {
            return "clamped_to_one is " + u.get("clamped_to_one") + ", but the criterion kept " + candidate + " components";
        }
        return null;
    }

    private static int above(double[] s, double threshold) {
        int n = 0;
        for (double x : s) {
            n += x > threshold ? 1 : 0;
        }
        return n;
    }

    /** The {@code key=value} parameters of a selector's description ("w=0.5, min=2"). */
    private static Map<String, Double> params(String inside) {
        Map<String, Double> p = new HashMap<>();
        if (inside == null) {
            return p;
        }
        for (String kv : inside.split(",")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                try {
                    p.put(kv.substring(0, eq).trim(), Double.parseDouble(kv.substring(eq + 1).trim()));
                } catch (NumberFormatException e) {
                    // an unknown parameter form: the rank comparison below will say what differs
                }
            }
        }
        return p;
    }
}
