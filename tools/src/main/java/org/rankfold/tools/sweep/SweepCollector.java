package org.rankfold.tools.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.datasets.npy.NpyArray;
import org.rankfold.datasets.npy.NpyFormat;
import org.rankfold.tools.UserError;

/**
 * {@code sweep --collect}: gathers the finished cells into {@code sweep.json} (docs/sweeps.md). Cells are grouped
 * by (model, target, lambda, expansion); per group and variant, over the seeds: accuracy mean and standard deviation,
 * params and MACs ratios, and the paired comparison with {@code plain} and with the budget-matched baseline
 * ({@link PairedStatistics} on the per-image predictions each run saved); the ranks per layer of every variant
 * (first seed). Unfinished cells are listed with their state.
 */
final class SweepCollector {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The bootstrap's seed: fixed, so collecting twice gives the same intervals. */
    static final long BOOTSTRAP_SEED = 20260101L;

    private SweepCollector() {
    }

    static ObjectNode collect(List<SweepCell> cells, SweepSpec spec, Path sweep) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", "rankfold-sweep");
        root.put("version", 1);
        root.put("bootstrap_resamples", PairedStatistics.DEFAULT_RESAMPLES);
        root.put("bootstrap_seed", BOOTSTRAP_SEED);
        ArrayNode cellList = root.putArray("cells");
        Map<String, List<SweepCell>> groups = new LinkedHashMap<>();
        for (SweepCell c : cells) {
            ObjectNode o = cellList.addObject();
            o.put("name", c.name());
            o.put("state", c.complete(sweep) ? "complete" : c.started(sweep) ? "started" : "not started");
            if (c.complete(sweep)) {
                String key = c.model() + "|" + c.target() + "|" + c.lambda() + "|" + c.expand();
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
            }
        }
        ArrayNode out = root.putArray("groups");
        for (List<SweepCell> g : groups.values()) {
            out.add(group(g, spec, sweep));
        }
        return root;
    }

    private static ObjectNode group(List<SweepCell> g, SweepSpec spec, Path sweep) throws IOException {
        SweepCell first = g.getFirst();
        ObjectNode o = MAPPER.createObjectNode();
        o.put("model", first.model());
        o.put("target", first.target());
        putMaybe(o, "lambda", first.lambda());
        putMaybe(o, "expand", first.expand());
        ArrayNode seeds = o.putArray("seeds");
        List<JsonNode> summaries = new ArrayList<>();
        for (SweepCell c : g) {
            seeds.add(c.seed());
            summaries.add(MAPPER.readTree(c.dir(sweep).resolve("summary.json").toFile()));
        }
        o.set("baseline", stat(summaries, "/baseline/accuracy"));
        if (summaries.stream().allMatch(s -> s.at("/baseline_matched/accuracy").isNumber())) {
            o.set("baseline_matched", stat(summaries, "/baseline_matched/accuracy"));
        }
        ObjectNode variants = o.putObject("variants");
        boolean[][] plain = correctness(g, sweep, "plain-eval");
        boolean[][] matched = o.has("baseline_matched") ? correctness(g, sweep, "baseline-eval") : null;
        for (String v : spec.variants()) {
            String at = "/ablation/" + v;
            if (summaries.stream().anyMatch(s -> s.at(at + "/accuracy").isMissingNode())) {
                continue;
            }
            ObjectNode r = variants.putObject(v);
            r.set("accuracy", stat(summaries, at + "/accuracy"));
            r.set("accuracy_before_finetune", stat(summaries, at + "/accuracy_before_finetune"));
            r.set("params_ratio", stat(summaries, at + "/params_ratio"));
            r.set("macs_ratio", stat(summaries, at + "/macs_ratio"));
            ObjectNode val = validation(g, sweep, v + "/finetune");
            if (val != null) {
                r.set("validation_accuracy", val);
            }
            boolean[][] mine = correctness(g, sweep, v + "-eval");
            if (!v.equals("plain")) {
                r.set("vs_plain", comparison(PairedStatistics.compare(mine, plain, PairedStatistics.DEFAULT_RESAMPLES,
                        BOOTSTRAP_SEED)));
            }
            if (matched != null) {
                r.set("vs_baseline_matched", comparison(PairedStatistics.compare(mine, matched,
                        PairedStatistics.DEFAULT_RESAMPLES, BOOTSTRAP_SEED)));
            }
            r.set("ranks", ranks(first.dir(sweep), v));
        }
        return o;
    }

    private static void putMaybe(ObjectNode o, String f, double v) {
        if (Double.isNaN(v)) {
            o.putNull(f);
        } else {
            o.put(f, v);
        }
    }

    /** Mean, standard deviation (n - 1) and values over the seeds of the number at {@code pointer}. */
    private static ObjectNode stat(List<JsonNode> summaries, String pointer) {
        double[] v = summaries.stream().mapToDouble(s -> s.at(pointer).asDouble(Double.NaN)).toArray();
        double[] ms = PairedStatistics.meanStd(v);
        ObjectNode o = MAPPER.createObjectNode();
        o.put("mean", ms[0]);
        o.put("std", ms[1]);
        ArrayNode a = o.putArray("values");
        for (double x : v) {
            a.add(x);
        }
        return o;
    }

    private static ObjectNode comparison(PairedStatistics.Comparison c) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("difference", c.difference());
        o.put("ci95_low", c.low());
        o.put("ci95_high", c.high());
        o.put("only_this_right", c.onlyA());
        o.put("only_other_right", c.onlyB());
        o.put("mcnemar_p", c.mcnemarP());
        o.put("seeds", c.seeds());
        o.put("images", c.images());
        return o;
    }

    /**
     * Mean and std over the seeds of the last fine-tuning epoch's validation accuracy (metrics.csv): what a choice
     * between lambdas, expansions or targets should read; null when a cell has no validation rows for the phase.
     */
    private static ObjectNode validation(List<SweepCell> g, Path sweep, String phase) throws IOException {
        double[] v = new double[g.size()];
        for (int s = 0; s < g.size(); s++) {
            Path csv = g.get(s).dir(sweep).resolve("metrics.csv");
            if (!Files.isRegularFile(csv)) {
                return null;
            }
            List<String> lines = Files.readAllLines(csv);
            List<String> header = List.of(lines.getFirst().split(","));
            int acc = header.indexOf("test_acc");
            int on = header.indexOf("evaluated_on");
            String last = null;
            for (String line : lines) {
                if (line.startsWith(phase + ",")) {
                    last = line;
                }
            }
            if (last == null || acc < 0 || on < 0) {
                return null;
            }
            String[] f = last.split(",", -1);
            if (f.length <= Math.max(acc, on) || !f[on].equals("validation") || f[acc].isEmpty()) {
                return null;
            }
            v[s] = Double.parseDouble(f[acc]);
        }
        double[] ms = PairedStatistics.meanStd(v);
        ObjectNode o = MAPPER.createObjectNode();
        o.put("mean", ms[0]);
        o.put("std", ms[1]);
        ArrayNode a = o.putArray("values");
        for (double x : v) {
            a.add(x);
        }
        return o;
    }

    /** Per seed, per test image: whether the model of {@code predictions/NAME.npy} got it right. */
    private static boolean[][] correctness(List<SweepCell> g, Path sweep, String name) throws IOException {
        boolean[][] r = new boolean[g.size()][];
        for (int s = 0; s < g.size(); s++) {
            Path dir = g.get(s).dir(sweep).resolve("predictions");
            byte[] labels = bytes(dir.resolve("labels.npy"));
            byte[] pred = bytes(dir.resolve(name + ".npy"));
            if (pred.length != labels.length) {
                throw new UserError(dir.resolve(name + ".npy") + ": " + pred.length + " predictions for " + labels.length
                        + " test labels");
            }
            r[s] = new boolean[labels.length];
            for (int i = 0; i < labels.length; i++) {
                r[s][i] = pred[i] == labels[i];
            }
        }
        return r;
    }

    private static byte[] bytes(Path npy) throws IOException {
        if (!Files.isRegularFile(npy)) {
            throw new UserError(npy + " is missing: the run saved no per-image predictions (made before they were saved?)");
        }
        NpyArray a = NpyFormat.read(npy);
        if (a.shape().length != 1) {
            throw new UserError(npy + ": expected a one-dimensional array of classes");
        }
        long[] v = a.asLongs();
        byte[] b = new byte[v.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    /** The variant's ranks per layer, from its tucker phase in progress.json. */
    private static ArrayNode ranks(Path run, String variant) throws IOException {
        JsonNode layers = MAPPER.readTree(run.resolve("progress.json").toFile()).at("/completed/" + variant + "~1tucker/layers");
        ArrayNode a = MAPPER.createArrayNode();
        for (JsonNode l : layers) {
            ObjectNode o = a.addObject();
            o.put("name", l.path("name").asText());
            o.put("decomposition", l.path("decomposition").asText());
            o.set("r0", l.path("r0"));
            o.set("r1", l.path("r1"));
        }
        return a;
    }
}
