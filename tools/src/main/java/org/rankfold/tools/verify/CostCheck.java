package org.rankfold.tools.verify;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.rankfold.engine.accounting.CostProfiler;
import org.rankfold.engine.accounting.CostReport;
import org.rankfold.engine.checkpoint.Checkpoint;
import org.rankfold.engine.checkpoint.CheckpointReader;

/**
 * The {@code costs} check: params, MACs and BatchNorm params counted again from the architecture in each
 * checkpoint's {@code model.json} and compared with every record of them: the phases of progress.json and
 * their phase-end lines in audit.jsonl, summary.json's baseline, compressed model and ablation (with the
 * ratios, original / compressed), and each decomposed layer's params in audit.jsonl, counted from its shape
 * and ranks ({@code C R1 + R1 R0 KH KW + R0 S} for Tucker-2, {@code R (in + out)} for SVD, plus the bias).
 */
final class CostCheck {
    static final String NAME = "costs";
    private static final double RATIO_TOLERANCE = 1e-9;

    private CostCheck() {
    }

    static Check run(RunRecords run) {
        List<String> problems = new ArrayList<>();
        int compared = 0;
        int layers = layerParams(run, problems);
        if (run.kind() != RunRecords.Kind.COMPRESS) {
            if (layers == 0 && problems.isEmpty()) {
                return Check.skipped(NAME, "a " + run.kind().label + " records no params or MACs of its model");
            }
            return Check.of(NAME, layers + " decomposed layer(s): params follow from their shapes and ranks", problems);
        }
        Map<Path, CostReport> costs = new HashMap<>();
        Map<String, Path> models = run.modelOfPhase();
        Map<String, CostReport> ofPhase = new HashMap<>();
        int unplaced = 0;
        for (Map.Entry<String, JsonNode> e : run.completed().properties()) {
            JsonNode r = e.getValue();
            if (!r.has("params") && !r.has("macs")) {
                continue;
            }
            Path ck = models.get(e.getKey());
            if (ck == null) {
                unplaced++;
                continue;
            }
            CostReport c;
            try {
                c = costs.computeIfAbsent(ck, CostCheck::profileUnchecked);
            } catch (IllegalStateException ex) {
                problems.add(run.root().relativize(ck) + "/model.json: " + ex.getMessage());
                continue;
            }
            ofPhase.put(e.getKey(), c);
            compared += compare("progress.json " + e.getKey(), r, c, problems);
        }
        for (JsonNode r : run.audit()) {
            if ("phase_end".equals(r.path("step").asText()) && ofPhase.containsKey(r.path("phase").asText())) {
                compared += compare("audit.jsonl phase_end " + r.get("phase").asText(), r, ofPhase.get(r.get("phase").asText()), problems);
            }
        }
        compared += summary(run, ofPhase, problems);
        return Check.of(NAME, compared + " recorded params/MACs values match the models' model.json; " + layers
                + " decomposed layer(s) match their shapes and ranks"
                + (unplaced > 0 ? "; " + unplaced + " phase(s) with a model outside the run not counted" : ""), problems);
    }

    private static CostReport profileUnchecked(Path ck) {
        try {
            Checkpoint c = CheckpointReader.loadArchitecture(ck);
            return CostProfiler.profile(c.model(), c.input().chw());
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Compares the params, macs and batchnorm_params fields a record has; returns how many it had. */
    private static int compare(String where, JsonNode r, CostReport c, List<String> problems) {
        int n = 0;
        n += field(where, r, "params", c.parameters(), problems);
        n += field(where, r, "macs", c.macs(), problems);
        n += field(where, r, "batchnorm_params", c.batchNormParameters(), problems);
        return n;
    }

    private static int field(String where, JsonNode r, String name, long actual, List<String> problems) {
        if (!r.has(name)) {
            return 0;
        }
        if (!r.get(name).canConvertToLong() || r.get(name).asLong() != actual) {
            problems.add(where + ": " + name + " " + r.get(name) + " recorded, the model.json gives " + actual);
        }
        return 1;
    }

    private static int summary(RunRecords run, Map<String, CostReport> ofPhase, List<String> problems) {
        JsonNode s = run.summary();
        CostReport base = ofPhase.get("baseline");
        if (s == null || base == null) {
            return 0;
        }
        int n = compare("summary.json baseline", s.path("baseline"), base, problems);
        for (Map.Entry<String, JsonNode> e : s.path("ablation").properties()) {
            CostReport v = ofPhase.get(e.getKey() + "/eval");
            if (v == null) {
                continue;
            }
            String where = "summary.json ablation." + e.getKey();
            n += compare(where, e.getValue(), v, problems);
            n += ratio(where, e.getValue(), "params_ratio", (double) base.parameters() / v.parameters(), problems);
            n += ratio(where, e.getValue(), "macs_ratio", (double) base.macs() / v.macs(), problems);
        }
        JsonNode c = s.path("compressed");
        CostReport v = ofPhase.get(c.path("variant").asText() + "/eval");
        if (v != null) {
            n += compare("summary.json compressed", c, v, problems);
            n += ratio("summary.json", s, "params_ratio", (double) base.parameters() / v.parameters(), problems);
            n += ratio("summary.json", s, "macs_ratio", (double) base.macs() / v.macs(), problems);
        }
        return n;
    }

    private static int ratio(String where, JsonNode r, String name, double actual, List<String> problems) {
        if (!r.has(name)) {
            return 0;
        }
        double recorded = r.get(name).asDouble(Double.NaN);
        if (!(Math.abs(recorded - actual) <= RATIO_TOLERANCE * actual)) {
            problems.add(where + ": " + name + " " + r.get(name) + " recorded, the models give " + actual);
        }
        return 1;
    }

    /** The params_after of every decomposed layer in audit.jsonl against its shape and ranks; returns the count. */
    private static int layerParams(RunRecords run, List<String> problems) {
        int n = 0;
        for (JsonNode r : run.audit()) {
            String kind = r.path("decomposition").asText("");
            JsonNode shape = r.path("kernel_shape");
            JsonNode ranks = r.path("ranks");
            if (!(kind.equals("tucker2") || kind.equals("svd")) || shape.size() < 2) {
                continue;
            }
            n++;
            String where = "audit.jsonl " + r.path("phase").asText() + " " + r.path("layer").asText();
            long s = shape.get(0).asLong();
            long c = shape.get(1).asLong();
            long k = 1;
            for (int i = 2; i < shape.size(); i++) {
                k *= shape.get(i).asLong();
            }
            long bias = r.path("params_before").asLong() - s * c * k;
            if (bias != 0 && bias != s) {
                problems.add(where + ": params_before " + r.path("params_before") + " is not the " + shape + " kernel's "
                        + s * c * k + " (+ " + s + " bias)");
                continue;
            }
            long expected;
            if (kind.equals("tucker2") && ranks.size() == 2) {
                long r0 = ranks.get(0).asLong();
                long r1 = ranks.get(1).asLong();
                expected = c * r1 + r1 * r0 * k + r0 * s + bias;
            } else if (kind.equals("svd") && ranks.size() == 1) {
                expected = ranks.get(0).asLong() * (s + c) + bias;
            } else {
                problems.add(where + ": " + kind + " with ranks " + ranks);
                continue;
            }
            if (r.path("params_after").asLong() != expected) {
                problems.add(where + ": params_after " + r.path("params_after") + " recorded, shape " + shape + " at ranks "
                        + ranks + " gives " + expected);
            }
        }
        return n;
    }
}
