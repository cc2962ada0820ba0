package org.rankfold.tools.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Per layer, from the decomposition records of {@code audit.jsonl} (grouped by variant): the singular
 * value spectrum of each unfolding on a log scale with the EVBMF threshold (dashed line) and the kept
 * components (filled markers; discarded ones hollow, a dashed line after the last kept one), and a table
 * of sigma^2, threshold, ranks, reconstruction error and params/MACs before and after. A reader can
 * recompute every rank from what is shown: component h is kept by EVBMF iff gamma_h exceeds the threshold
 * (Nakajima et al., JMLR 2013; docs/method.md, EVBMF rank estimation).
 */
final class LayerSection {
    private static final String KEPT = "#1f77b4";
    private static final String DISCARDED = "#7f7f7f";
    private static final String THRESHOLD = "#d62728";

    private LayerSection() {
    }

    static void write(HtmlPage page, RunContents run, List<Missing> notRecorded) {
        page.heading(2, "layers", "Layers: spectra, ranks and decompositions");
        List<JsonNode> records = run.decompositions();
        if (records.isEmpty()) {
            notRecorded.add(new Missing("per-layer decompositions", "audit.jsonl records with 'layer' and 'unfoldings'"));
            page.missing("No decomposition records in audit.jsonl yet.");
        }
        Map<String, List<JsonNode>> byVariant = new LinkedHashMap<>();
        for (JsonNode r : records) {
            String v = r.hasNonNull("variant") ? r.get("variant").asText() : r.path("phase").asText("?");
            byVariant.computeIfAbsent(v, k -> new ArrayList<>()).add(r);
        }
        if (run.omittedLayers() > 0) {
            page.note(run.omittedLayers() + " further decomposition records of audit.jsonl are not drawn: the page shows at most "
                    + AuditReader.MAX_LAYERS + " layers.");
        }
        for (Map.Entry<String, List<JsonNode>> v : byVariant.entrySet()) {
            page.heading(3, null, "Variant " + v.getKey() + " (" + v.getValue().size() + " layers)");
            for (JsonNode r : v.getValue()) {
                layer(page, v.getKey(), r);
            }
        }
        for (JsonNode t : run.targetSearches()) {
            page.heading(3, null, "Target search of " + t.path("variant").asText("?"));
            page.paragraph("Target " + t.path("measure").asText("?") + " ratio " + Html.number(t.path("target").asDouble(Double.NaN))
                    + ": " + (t.has("energy_fraction") ? "energy fraction " + Html.number(t.get("energy_fraction").asDouble()) + ", "
                    : t.has("rank_ratio") ? "rank ratio " + Html.number(t.get("rank_ratio").asDouble()) + ", " : "")
                    + "weakening " + Html.number(t.path("weakening").asDouble(Double.NaN)) + ", "
                    + (t.path("met").asBoolean() ? "met" : "not met") + " (params ratio "
                    + Html.number(t.path("params_ratio").asDouble(Double.NaN)) + ", MACs ratio "
                    + Html.number(t.path("macs_ratio").asDouble(Double.NaN)) + ").");
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode s : t.path("steps")) {
                rows.add(List.of(HtmlPage.num(Html.number(s.path("weakening").asDouble(Double.NaN))),
                        HtmlPage.num(Html.number(s.path("params_ratio").asDouble(Double.NaN))),
                        HtmlPage.num(Html.number(s.path("macs_ratio").asDouble(Double.NaN)))));
            }
            page.table(null, List.of("weakening", "params ratio", "MACs ratio"), rows);
        }
    }

    /** Relative reconstruction error above which a layer gets a warning. */
    static final double LARGE_ERROR = 0.5;

    private static void layer(HtmlPage page, String variant, JsonNode r) {
        String name = r.path("layer").asText("?");
        page.open("layer");
        page.heading(4, null, name + ": " + r.path("decomposition").asText("?") + ", weight " + r.path("kernel_shape"));
        double error = r.path("relative_error").asDouble(Double.NaN);
        if (error > LARGE_ERROR) {
            page.warning("warning: relative reconstruction error " + Html.number(error) + " > " + LARGE_ERROR
                    + ": the decomposed layer keeps little of the original weights; fine-tuning has to recover it"
                    + " (or give it larger ranks: --weakening, --min-rank, a smaller target)");
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("ranks used", r.path("ranks").toString()));
        rows.add(List.of("relative reconstruction error ||W - W_hat||_F / ||W||_F",
                HtmlPage.num(Html.number(r.path("relative_error").asDouble(Double.NaN)))));
        rows.add(List.of("HOSVD relative error (before HOOI)",
                HtmlPage.num(Html.number(r.path("hosvd_relative_error").asDouble(Double.NaN)))));
        rows.add(List.of("HOOI iterations", HtmlPage.num(r.path("iterations").asText("n/a"))));
        rows.add(List.of("params before / after", HtmlPage.num(Html.count(r.path("params_before").asLong()) + " / "
                + Html.count(r.path("params_after").asLong()))));
        rows.add(List.of("MACs per image before / after", HtmlPage.num(Html.count(r.path("macs_before").asLong()) + " / "
                + Html.count(r.path("macs_after").asLong()))));
        for (JsonNode n : r.path("notes")) {
            rows.add(List.of("note", n.asText()));
        }
        page.table(null, List.of("", "value"), rows);
        List<List<String>> modes = new ArrayList<>();
        for (JsonNode u : r.path("unfoldings")) {
            modes.add(List.of(HtmlPage.num(u.path("mode").asText("?")), u.path("shape").toString(), u.path("selector").asText(""),
                    HtmlPage.num(Html.number(u.path("sigma2").asDouble(Double.NaN))),
                    HtmlPage.num(Html.number(u.path("threshold").asDouble(Double.NaN))),
                    HtmlPage.num(u.path("proposed_rank").asText("?")), HtmlPage.num(u.path("rank").asText("?")),
                    notes(u)));
        }
        if (modes.isEmpty()) {
            page.note("No unfolding was analysed for this layer.");
        } else {
            page.table(null, List.of("mode", "unfolding shape", "selector", "sigma^2", "EVBMF threshold", "proposed rank",
                    "rank used", "notes"), modes);
        }
        page.open("charts");
        for (JsonNode u : r.path("unfoldings")) {
            double[] sv = doubles(u.path("singular_values"));
            String key = variant + "/" + name + "/mode" + u.path("mode").asText("?");
            if (sv.length == 0) {
                page.missing("mode " + u.path("mode").asText("?") + ": singular values not recorded (selector "
                        + u.path("selector").asText("?") + ")");
                continue;
            }
            page.figure("spectrum", key, spectrum(name, u, sv), spectrumCaption(u, sv));
        }
        page.close();
        page.close();
    }

    private static String notes(JsonNode u) {
        List<String> n = new ArrayList<>();
        u.path("notes").forEach(x -> n.add(x.asText()));
        if (u.path("clamped_to_one").asBoolean() && n.stream().noneMatch(x -> x.contains("clamped"))) {
            n.add("clamped to 1");
        }
        return String.join("; ", n);
    }

    private static SvgChart spectrum(String layer, JsonNode u, double[] sv) {
        int total = u.path(AuditReader.TOTAL).asInt(sv.length);
        int rank = Math.min(u.path("rank").asInt(0), total);
        int mode = u.path("mode").asInt(-1);
        // A long spectrum was down-sampled when read (AuditReader): its values sit at their original components.
        double[] x = u.has(AuditReader.INDEX) ? doubles(u.get(AuditReader.INDEX)) : Series.oneToN(sv.length);
        double[] kept = new double[sv.length];
        double[] dropped = new double[sv.length];
        for (int i = 0; i < sv.length; i++) {
            kept[i] = x[i] <= rank ? sv[i] : Double.NaN;
            dropped[i] = x[i] <= rank ? Double.NaN : sv[i];
        }
        String modeName = mode == 0 ? "R0" : mode == 1 ? "R1" : "R";
        SvgChart c = new SvgChart(layer + ": mode-" + mode + " unfolding " + u.path("shape"), "component h",
                "singular value gamma_h").logY().integerX().size(440, 190)
                .add(new Series("spectrum", x, sv, Series.Style.LINE, "#c7c7c7"))
                .add(new Series("kept (" + modeName + " = " + rank + ")", x, kept, Series.Style.MARKERS, KEPT))
                .add(new Series("discarded", x, dropped, Series.Style.HOLLOW_MARKERS, DISCARDED));
        double threshold = u.path("threshold").asDouble(Double.NaN);
        if (Double.isFinite(threshold) && threshold > 0) {
            c.add(Guide.horizontal(threshold, "EVBMF threshold " + Html.number(threshold), THRESHOLD));
        }
        if (rank > 0 && rank < total) {
            c.add(Guide.vertical(rank + 0.5, "rank " + rank, KEPT));
        }
        return c;
    }

    private static String spectrumCaption(JsonNode u, double[] sv) {
        long nonPositive = java.util.Arrays.stream(sv).filter(v -> !(v > 0)).count();
        double threshold = u.path("threshold").asDouble(Double.NaN);
        long above = u.has(AuditReader.ABOVE) ? u.get(AuditReader.ABOVE).asLong()
                : java.util.Arrays.stream(sv).filter(v -> v > threshold).count();
        int total = u.path(AuditReader.TOTAL).asInt(sv.length);
        return total + " singular values" + (total > sv.length ? " (" + sv.length + " of them drawn)" : "") + (Double.isFinite(threshold) ? ", " + above + " above the EVBMF threshold" : "")
                + ", sigma^2 = " + Html.number(u.path("sigma2").asDouble(Double.NaN))
                + ", proposed rank " + u.path("proposed_rank").asText("?") + ", used " + u.path("rank").asText("?")
                + (nonPositive > 0 ? "; " + nonPositive + " values <= 0 (or null) cannot be drawn on the log scale" : "");
    }

    /** A JSON array of numbers; null entries (non-finite values) become NaN. */
    private static double[] doubles(JsonNode a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).isNumber() ? a.get(i).asDouble() : Double.NaN;
        }
        return v;
    }
}
