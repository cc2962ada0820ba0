package org.rankfold.tools.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The model-level comparison: one table row per variant of the ablation (and of every run given with
 * {@code --compare}, e.g. target-ratio runs), and two scatter plots of test accuracy against the params
 * and MACs compression ratios (original / compressed; the baseline sits at 1).
 */
final class ModelSection {
    private ModelSection() {
    }

    static void write(HtmlPage page, RunContents run, List<RunContents> others, List<Missing> notRecorded) {
        page.heading(2, "model", "Model level: accuracy and compression");
        List<RunContents> runs = new ArrayList<>();
        runs.add(run);
        runs.addAll(others);
        List<List<String>> rows = new ArrayList<>();
        for (RunContents r : runs) {
            JsonNode s = r.summary();
            if (s == null) {
                continue;
            }
            String prefix = runs.size() > 1 ? r.name() + ": " : "";
            JsonNode base = s.path("baseline");
            rows.add(List.of(prefix + "baseline", HtmlPage.num(Html.count(base.path("params").asLong())),
                    HtmlPage.num(Html.count(base.path("macs").asLong())), HtmlPage.num("1"), HtmlPage.num("1"),
                    HtmlPage.num(Html.percent(base.path("accuracy").asDouble(Double.NaN))), "", "", "", ""));
            for (Map.Entry<String, JsonNode> e : s.path("ablation").properties()) {
                JsonNode a = e.getValue();
                rows.add(List.of(prefix + e.getKey(), HtmlPage.num(Html.count(a.path("params").asLong())),
                        HtmlPage.num(Html.count(a.path("macs").asLong())),
                        HtmlPage.num(Html.number(a.path("params_ratio").asDouble(Double.NaN))),
                        HtmlPage.num(Html.number(a.path("macs_ratio").asDouble(Double.NaN))),
                        HtmlPage.num(Html.percent(a.path("trained_accuracy").asDouble(Double.NaN))),
                        HtmlPage.num(Html.percent(a.path("accuracy_before_finetune").asDouble(Double.NaN))),
                        HtmlPage.num(Html.percent(a.path("accuracy").asDouble(Double.NaN))),
                        strength(a),
                        a.has("target_met") ? (a.get("target_met").asBoolean() ? "met" : "not met") : ""));
            }
        }
        if (rows.isEmpty()) {
            notRecorded.add(new Missing("model-level results", "summary.json (written when the run finishes)"));
            page.missing("No summary.json: the model-level table and the accuracy/compression plots appear when the run finishes.");
            return;
        }
        page.table(null, List.of("variant", "params", "MACs per image", "params ratio", "MACs ratio", "trained accuracy",
                "accuracy before fine-tuning", "accuracy", "weakening / fraction", "target"), rows);
        page.note("Ratios are original / compressed. FLOPs = 2 x MACs. Accuracies are on the test images of the run.");
        page.open("charts");
        page.figure("tradeoff", "params", tradeoff(runs, "params_ratio", "params compression ratio", run),
                "Test accuracy against params ratio: filled markers after fine-tuning, hollow before.");
        page.figure("tradeoff", "macs", tradeoff(runs, "macs_ratio", "MACs compression ratio", run),
                "Test accuracy against MACs ratio: filled markers after fine-tuning, hollow before.");
        page.close();
    }

    private static SvgChart tradeoff(List<RunContents> runs, String ratioField, String xLabel, RunContents main) {
        SvgChart c = new SvgChart("Accuracy vs " + xLabel, xLabel, "test accuracy (%)").logX().size(560, 240);
        int color = 0;
        for (RunContents r : runs) {
            JsonNode s = r.summary();
            if (s == null) {
                continue;
            }
            String name = runs.size() > 1 ? r.name() + ": " : "";
            List<String> labels = new ArrayList<>();
            List<double[]> after = new ArrayList<>();
            List<double[]> before = new ArrayList<>();
            labels.add("baseline");
            after.add(new double[] {1, 100 * s.path("baseline").path("accuracy").asDouble(Double.NaN)});
            before.add(new double[] {Double.NaN, Double.NaN});
            for (Map.Entry<String, JsonNode> e : s.path("ablation").properties()) {
                double ratio = e.getValue().path(ratioField).asDouble(Double.NaN);
                labels.add(e.getKey());
                after.add(new double[] {ratio, 100 * e.getValue().path("accuracy").asDouble(Double.NaN)});
                before.add(new double[] {ratio, 100 * e.getValue().path("accuracy_before_finetune").asDouble(Double.NaN)});
            }
            String col = HtmlPage.PALETTE.get(color++ % HtmlPage.PALETTE.size());
            c.add(new Series(name + "after fine-tuning", column(after, 0), column(after, 1), Series.Style.MARKERS, col, labels));
            c.add(new Series(name + "before fine-tuning", column(before, 0), column(before, 1), Series.Style.HOLLOW_MARKERS, col));
        }
        double target = main.config().path("target_" + ratioField).asDouble(0);
        if (target > 0) {
            c.add(Guide.vertical(target, "target " + Html.number(target) + "x", "#d62728"));
        }
        return c;
    }

    private static double[] column(List<double[]> points, int k) {
        return points.stream().mapToDouble(p -> p[k]).toArray();
    }

    /**
     * The rank selector's setting of a variant: the EVBMF weakening (strength), or the energy fraction / rank ratio a
     * target search found for those selectors.
     */
    private static String strength(JsonNode a) {
        for (String f : List.of("energy_fraction", "rank_ratio")) {
            if (a.has(f)) {
                return HtmlPage.num(f.replace('_', ' ') + " " + Html.number(a.get(f).asDouble()));
            }
        }
        return HtmlPage.num(Html.number(a.path("weakening").asDouble(Double.NaN)));
    }
}
