package org.rankfold.tools.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * The top of the report: what was run (model, data, seed, headline numbers), on what machine, how long
 * each phase took and what it reached; and, separately, the full configuration as {@code config.json} holds it.
 */
final class OverviewSection {
    private OverviewSection() {
    }

    static void write(HtmlPage page, RunContents run, List<Missing> notRecorded) {
        JsonNode data = run.lookup("data");
        page.paragraph("Model " + run.lookup("model").asText("?") + ", seed " + run.lookup("seed").asText("?")
                + ", data: " + (data.isMissingNode() ? "not recorded" : data.path("dataset").asText("?") + " ("
                + data.path("train_images").asText("?") + " training and " + data.path("test_images").asText("?")
                + " test images used)") + ".");
        headline(page, run);
        matched(page, run);

        page.heading(2, "machine", "Machine");
        JsonNode machine = run.lookup("machine");
        if (machine.isObject()) {
            page.table(null, List.of("field", "value"), flatten(machine));
        } else {
            notRecorded.add(new Missing("machine (cores, Java version, backend, threads)", "summary.json or config.json field 'machine'"));
            page.missing("Machine not recorded in the run directory (no 'machine' object in summary.json or config.json).");
        }
        page.note("This report was built with Java " + Runtime.version() + " on " + Runtime.getRuntime().availableProcessors()
                + " cores; that is the machine that read the files, not necessarily the one that ran the training.");

        page.heading(2, "wall-time", "Phases: wall time and results");
        List<List<String>> rows = new ArrayList<>();
        double total = 0;
        for (Map.Entry<String, JsonNode> e : phases(run)) {
            JsonNode r = e.getValue();
            double seconds = r.path("wall_seconds").asDouble(Double.NaN);
            rows.add(List.of(e.getKey(), HtmlPage.num(Html.number(seconds)),
                    HtmlPage.num(Html.percent(r.path("accuracy").asDouble(Double.NaN))),
                    HtmlPage.num(r.has("params") ? Html.count(r.get("params").asLong()) : ""),
                    HtmlPage.num(r.has("macs") ? Html.count(r.get("macs").asLong()) : "")));
            total += Double.isFinite(seconds) ? seconds : 0;
        }
        if (rows.isEmpty()) {
            notRecorded.add(new Missing("wall time per phase", "audit.jsonl phase_end records, progress.json or summary.json 'wall_seconds'"));
            page.missing("Wall time per phase not recorded (no phase_end records, progress.json or summary.json).");
        } else {
            rows.add(List.of("total", HtmlPage.num(Html.number(total)), "", "", ""));
            page.table(null, List.of("phase", "wall seconds", "test accuracy after the phase", "params", "MACs per image"), rows);
        }
    }

    /** The full configuration as config.json holds it (placed near the end of the page: it is long). */
    static void configuration(HtmlPage page, RunContents run) {
        page.heading(2, "configuration", "Configuration (config.json)");
        page.table(null, List.of("setting", "value"), flatten(run.config()));
    }

    private static void headline(HtmlPage page, RunContents run) {
        JsonNode s = run.summary();
        if (s == null) {
            page.missing("summary.json is not written yet: the run has not finished (or died); this report shows the "
                    + "files that exist.");
            return;
        }
        JsonNode base = s.path("baseline");
        JsonNode comp = s.path("compressed");
        page.table("headline", List.of("", "accuracy", "params", "MACs per image"), List.of(
                List.of("baseline", HtmlPage.num(Html.percent(base.path("accuracy").asDouble(Double.NaN))),
                        HtmlPage.num(Html.count(base.path("params").asLong())), HtmlPage.num(Html.count(base.path("macs").asLong()))),
                List.of("compressed (" + comp.path("variant").asText("?") + ")",
                        HtmlPage.num(Html.percent(comp.path("accuracy").asDouble(Double.NaN))),
                        HtmlPage.num(Html.count(comp.path("params").asLong())), HtmlPage.num(Html.count(comp.path("macs").asLong()))),
                List.of("ratio (original / compressed)", "",
                        HtmlPage.num(Html.number(s.path("params_ratio").asDouble(Double.NaN)) + "x"),
                        HtmlPage.num(Html.number(s.path("macs_ratio").asDouble(Double.NaN)) + "x"))));
    }

    /**
     * The ablation at matched compression (summary.json's {@code matched}, written with a target ratio): each
     * variant's ratio and accuracy, and the difference to the baseline and to the plain variant, in points.
     */
    private static void matched(HtmlPage page, RunContents run) {
        JsonNode m = run.summary() == null ? null : run.summary().get("matched");
        if (m == null || !m.path("variants").isObject()) {
            return;
        }
        page.heading(2, "matched", "Ablation at matched " + m.path("measure").asText("?") + " ratio "
                + Html.number(m.path("target").asDouble(Double.NaN)) + "x");
        page.paragraph((m.path("matched").asBoolean() ? "Every variant met the target within "
                : "NOT matched: a variant missed the target or overshot it by more than ")
                + Html.number(100 * m.path("tolerance").asDouble(Double.NaN)) + "% (spread of the ratios "
                + Html.number(100 * m.path("spread").asDouble(Double.NaN)) + "%).");
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : m.get("variants").properties()) {
            JsonNode v = e.getValue();
            rows.add(List.of(e.getKey(), HtmlPage.num(Html.number(v.path("ratio").asDouble(Double.NaN)) + "x"),
                    HtmlPage.num(Html.percent(v.path("accuracy").asDouble(Double.NaN))),
                    HtmlPage.num(points(v.path("delta_vs_baseline"))), HtmlPage.num(points(v.path("delta_vs_plain")))));
        }
        page.table(null, List.of("variant", "ratio", "accuracy", "vs baseline (points)", "vs plain (points)"), rows);
    }

    private static String points(JsonNode delta) {
        return delta.isNumber() ? String.format(java.util.Locale.ROOT, "%+.2f", 100 * delta.asDouble()) : "";
    }

    /**
     * Each completed phase with its result ({@code wall_seconds}, and where the phase measured them
     * {@code accuracy}, {@code params}, {@code macs}): from the audit's phase_end records, else from
     * progress.json, else only the wall seconds of summary.json.
     */
    static List<Map.Entry<String, JsonNode>> phases(RunContents run) {
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        for (JsonNode r : run.phaseEnds()) {
            out.add(Map.entry(r.path("phase").asText("?"), r));
        }
        if (!out.isEmpty()) {
            return out;
        }
        JsonNode c = run.progress() == null ? null : run.progress().get("completed");
        if (c != null && c.isObject()) {
            for (Map.Entry<String, JsonNode> e : c.properties()) {
                out.add(Map.entry(e.getKey(), e.getValue()));
            }
            return out;
        }
        JsonNode w = run.summary() == null ? null : run.summary().get("wall_seconds");
        if (w != null && w.isObject()) {
            for (Map.Entry<String, JsonNode> e : w.properties()) {
                out.add(Map.entry(e.getKey(), JsonNodeFactory.instance.objectNode().set("wall_seconds", e.getValue())));
            }
        }
        return out;
    }

    /** Rows {@code [dotted.key, value]} of a JSON object, nested objects flattened, arrays as JSON text. */
    static List<List<String>> flatten(JsonNode node) {
        List<List<String>> rows = new ArrayList<>();
        flatten("", node, rows);
        return rows;
    }

    private static void flatten(String prefix, JsonNode node, List<List<String>> rows) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String key = prefix + e.getKey();
            if (e.getValue().isObject()) {
                flatten(key + ".", e.getValue(), rows);
            } else {
                rows.add(List.of(key, e.getValue().isValueNode() ? shown(e.getKey(), e.getValue()) : e.getValue().toString()));
            }
        }
    }

    /**
     * A configuration value as a reader means it: the sentinels of "no limit" and "no target" (Integer.MAX_VALUE,
     * a target ratio of 0, an image limit of 0) as "none" or "all" instead of 2147483647 and 0.0.
     */
    static String shown(String key, JsonNode v) {
        if (v.isNumber() && (v.asLong() == Integer.MAX_VALUE || v.asLong() == Long.MAX_VALUE)) {
            return "none";
        }
        if (v.isNumber() && v.asDouble() == 0 && key.startsWith("target_")) {
            return "none";
        }
        if (v.isNumber() && v.asDouble() == 0 && key.startsWith("limit_")) {
            return "all";
        }
        return v.asText();
    }
}
