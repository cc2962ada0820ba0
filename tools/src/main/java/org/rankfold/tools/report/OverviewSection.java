package org.rankfold.tools.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The top of the report: what was run (model, data, seed, headline numbers), on what machine, how long
 * each phase took, and the full configuration as {@code config.json} holds it.
 */
final class OverviewSection {
    private OverviewSection() {
    }

    static void write(HtmlPage page, RunContents run, List<String> notRecorded) {
        JsonNode data = run.lookup("data");
        page.paragraph("Model " + run.lookup("model").asText("?") + ", seed " + run.lookup("seed").asText("?")
                + ", data: " + (data.isMissingNode() ? "not recorded" : data.path("dataset").asText("?") + " ("
                + data.path("train_images").asText("?") + " training and " + data.path("test_images").asText("?")
                + " test images used)") + ".");
        headline(page, run);

        page.heading(2, "machine", "Machine");
        JsonNode machine = run.lookup("machine");
        if (machine.isObject()) {
            page.table(null, List.of("field", "value"), flatten(machine));
        } else {
            notRecorded.add("machine (cores, Java version, backend, threads): summary.json or config.json field 'machine'");
            page.missing("Machine not recorded in the run directory (no 'machine' object in summary.json or config.json).");
        }
        page.note("This report was built with Java " + Runtime.version() + " on " + Runtime.getRuntime().availableProcessors()
                + " cores; that is the machine that read the files, not necessarily the one that ran the training.");

        page.heading(2, "wall-time", "Wall time per phase");
        List<List<String>> rows = new ArrayList<>();
        double total = 0;
        for (Map.Entry<String, Double> e : wallSeconds(run)) {
            rows.add(List.of(e.getKey(), HtmlPage.num(Html.number(e.getValue()))));
            total += e.getValue();
        }
        if (rows.isEmpty()) {
            notRecorded.add("wall time per phase: summary.json 'wall_seconds' or progress.json 'completed.<phase>.wall_seconds'");
            page.missing("Wall time per phase not recorded (no summary.json 'wall_seconds' and no progress.json).");
        } else {
            rows.add(List.of("total", HtmlPage.num(Html.number(total))));
            page.table(null, List.of("phase", "seconds"), rows);
        }

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

    /** Phase and wall seconds: from summary.json, else from progress.json's completed phases. */
    static List<Map.Entry<String, Double>> wallSeconds(RunContents run) {
        List<Map.Entry<String, Double>> out = new ArrayList<>();
        JsonNode w = run.summary() == null ? null : run.summary().get("wall_seconds");
        if (w != null && w.isObject()) {
            for (Map.Entry<String, JsonNode> e : w.properties()) {
                out.add(Map.entry(e.getKey(), e.getValue().asDouble(Double.NaN)));
            }
            return out;
        }
        JsonNode c = run.progress() == null ? null : run.progress().get("completed");
        if (c != null && c.isObject()) {
            for (Map.Entry<String, JsonNode> e : c.properties()) {
                if (e.getValue().has("wall_seconds")) {
                    out.add(Map.entry(e.getKey(), e.getValue().get("wall_seconds").asDouble(Double.NaN)));
                }
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
                rows.add(List.of(key, e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
            }
        }
    }
}
