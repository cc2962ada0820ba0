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
import org.rankfold.tools.report.CsvTable;

/**
 * {@code sweep --collect}: gathers the finished cells into {@code sweep.json} (docs/sweeps.md). Cells are grouped
 * by (model, target, selector, lambda, expansion); per group and variant, over the seeds: accuracy mean and standard
 * deviation, params and MACs ratios, the value a target search found, the orthogonality penalty's share of the
 * training loss per epoch, and the paired comparison with {@code plain}, with the budget-matched baseline and (for
 * the energy and ratio selectors) with the same variant under EVBMF at the same target ({@link PairedStatistics} on
 * the per-image predictions each run saved); the ranks per layer of every variant (first seed, from
 * {@code audit.jsonl}). Unfinished cells are listed with their state. Reads only the files an export keeps
 * ({@link SweepExport}), so an exported sweep collects to the same {@code sweep.json}.
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
                groups.computeIfAbsent(key(c, c.selector()), k -> new ArrayList<>()).add(c);
            }
        }
        ArrayNode out = root.putArray("groups");
        for (List<SweepCell> g : groups.values()) {
            SweepCell first = g.getFirst();
            List<SweepCell> evbmf = first.selector().equals(SweepSpec.EVBMF) ? null
                    : groups.get(key(first, SweepSpec.EVBMF));
            out.add(group(g, evbmf, spec, sweep));
        }
        return root;
    }

    /** The group of a cell: its model, target, selector, lambda and expansion. */
    private static String key(SweepCell c, String selector) {
        return c.model() + "|" + c.target() + "|" + selector + "|" + c.lambda() + "|" + c.expand();
    }

    /**
     * @param evbmf the EVBMF group at the same model, target, lambda and expansion, to compare a non-EVBMF selector
     *              with (null: none, or this is that group)
     */
    private static ObjectNode group(List<SweepCell> g, List<SweepCell> evbmf, SweepSpec spec, Path sweep) throws IOException {
        SweepCell first = g.getFirst();
        ObjectNode o = MAPPER.createObjectNode();
        o.put("model", first.model());
        o.put("target", first.target());
        o.put("selector", first.selector());
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
        // the seeds both this group and its EVBMF group finished, paired seed by seed
        List<SweepCell> mineForEvbmf = new ArrayList<>();
        List<SweepCell> theirs = new ArrayList<>();
        if (evbmf != null) {
            for (SweepCell c : g) {
                evbmf.stream().filter(e -> e.seed() == c.seed()).findFirst().ifPresent(e -> {
                    mineForEvbmf.add(c);
                    theirs.add(e);
                });
            }
        }
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
            if (!first.target().equals(SweepSpec.EVBMF)) {
                r.set("searched_value", searchedValue(summaries, v));
            }
            ObjectNode val = validation(g, sweep, v + "/finetune");
            if (val != null) {
                r.set("validation_accuracy", val);
            }
            ObjectNode share = PenaltyShare.of(g, sweep, v);
            if (share != null) {
                r.set("penalty_share", share);
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
            if (!theirs.isEmpty()) {
                ObjectNode vs = comparison(PairedStatistics.compare(correctness(mineForEvbmf, sweep, v + "-eval"),
                        correctness(theirs, sweep, v + "-eval"), PairedStatistics.DEFAULT_RESAMPLES, BOOTSTRAP_SEED));
                ArrayNode paired = vs.putArray("paired_seeds");
                mineForEvbmf.forEach(c -> paired.add(c.seed()));
                r.set("vs_evbmf", vs);
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

    /**
     * What the target search found, over the seeds: {@code name} (the summary field: {@code weakening}, the EVBMF
     * strength; {@code energy_fraction}; {@code rank_ratio}) and its mean, std and values.
     */
    private static ObjectNode searchedValue(List<JsonNode> summaries, String variant) {
        JsonNode a = summaries.getFirst().at("/ablation/" + variant);
        String name = a.has("energy_fraction") ? "energy_fraction" : a.has("rank_ratio") ? "rank_ratio" : "weakening";
        ObjectNode o = stat(summaries, "/ablation/" + variant + "/" + name);
        o.put("name", name);
        return o;
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
            CsvTable t = CsvTable.read(csv, List.of("phase"));
            int last = -1;
            for (int i = 0; i < t.size(); i++) {
                if (t.text(i, "phase").equals(phase)) {
                    last = i;
                }
            }
            if (last < 0 || !t.has("test_acc") || !t.has("evaluated_on") || !t.text(last, "evaluated_on").equals("validation")
                    || Double.isNaN(t.number(last, "test_acc"))) {
                return null;
            }
            v[s] = t.number(last, "test_acc");
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

    /**
     * The variant's ranks per layer, from the per-layer records of its tucker phase in {@code audit.jsonl}
     * ({@code ranks}: [r0, r1] for Tucker-2, [r] for an SVD, [] when skipped).
     */
    private static ArrayNode ranks(Path run, String variant) throws IOException {
        ArrayNode a = MAPPER.createArrayNode();
        String phase = variant + "/tucker";
        Path audit = run.resolve("audit.jsonl");
        try (var lines = Files.lines(audit)) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (!line.contains(phase)) {
                    continue;
                }
                JsonNode l;
                try {
                    l = MAPPER.readTree(line);
                } catch (IOException e) {
                    throw new UserError(audit + ": a line is not JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
                }
                if (!l.path("phase").asText().equals(phase) || !l.has("layer")) {
                    continue;
                }
                ObjectNode o = a.addObject();
                o.put("name", l.path("layer").asText());
                o.put("decomposition", l.path("decomposition").asText());
                JsonNode r = l.path("ranks");
                o.set("r0", r.size() > 0 ? r.get(0) : MAPPER.nullNode());
                o.set("r1", r.size() > 1 ? r.get(1) : MAPPER.nullNode());
            }
        }
        return a;
    }
}
