package org.rankfold.tools.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.rankfold.tools.report.Html;
import org.rankfold.tools.report.HtmlPage;
import org.rankfold.tools.report.Series;
import org.rankfold.tools.report.SvgChart;

/**
 * The sweep's page ({@code sweep.html}), from {@code sweep.json}: one self-contained page (the report's writer: no
 * script, no network) with a table per (model, target) group of every variant's accuracy (mean +- std over seeds),
 * ratios and paired differences to plain and to the budget-matched baseline with their 95% intervals, the ranks
 * per layer side by side, and per model accuracy against MACs ratio per variant with +- one standard deviation.
 */
final class SweepPage {
    private SweepPage() {
    }

    static String render(JsonNode sweep) {
        HtmlPage page = new HtmlPage("Rankfold sweep");
        page.heading(1, "top", "Rankfold sweep");
        int complete = 0;
        for (JsonNode c : sweep.get("cells")) {
            complete += c.get("state").asText().equals("complete") ? 1 : 0;
        }
        page.paragraph(complete + " of " + sweep.get("cells").size() + " cells complete. Differences are in accuracy "
                + "points, paired by seed and by test image: 95% interval of a bootstrap over seeds and images ("
                + sweep.get("bootstrap_resamples").asInt() + " resamples, seed " + sweep.get("bootstrap_seed").asLong()
                + "), McNemar's exact p on the discordant images pooled over the seeds.");
        Map<String, List<JsonNode>> byModel = new LinkedHashMap<>();
        for (JsonNode g : sweep.get("groups")) {
            byModel.computeIfAbsent(g.get("model").asText(), k -> new ArrayList<>()).add(g);
            String title = g.get("model").asText() + ", target " + g.get("target").asText()
                    + (g.get("lambda").isNull() ? "" : ", lambda " + g.get("lambda").asDouble())
                    + (g.get("expand").isNull() ? "" : ", expand " + g.get("expand").asDouble())
                    + " (" + g.get("seeds").size() + " seeds)";
            page.heading(2, null, title);
            page.paragraph("baseline " + pm(g.get("baseline")) + (g.has("baseline_matched")
                    ? "; budget-matched baseline (fine-tuned like the variants) " + pm(g.get("baseline_matched")) : ""));
            List<List<String>> rows = new ArrayList<>();
            for (var e : g.get("variants").properties()) {
                JsonNode v = e.getValue();
                rows.add(List.of(e.getKey(), pm(v.get("accuracy")), pm(v.get("accuracy_before_finetune")),
                        ratio(v.get("params_ratio")), ratio(v.get("macs_ratio")), diff(v.get("vs_plain")),
                        diff(v.get("vs_baseline_matched"))));
            }
            page.table("variants", List.of("variant", "accuracy", "before fine-tuning", "params x", "MACs x",
                    "vs plain", "vs matched baseline"), rows);
            page.table("ranks", rankHeader(g), rankRows(g));
        }
        for (var e : byModel.entrySet()) {
            SvgChart chart = new SvgChart(e.getKey() + ": accuracy vs MACs ratio", "MACs ratio (original / compressed)",
                    "accuracy (%), mean and +- 1 std");
            Map<String, List<double[]>> points = new LinkedHashMap<>();
            for (JsonNode g : e.getValue()) {
                for (var v : g.get("variants").properties()) {
                    points.computeIfAbsent(v.getKey(), k -> new ArrayList<>()).add(new double[] {
                            v.getValue().at("/macs_ratio/mean").asDouble(), 100 * v.getValue().at("/accuracy/mean").asDouble(),
                            100 * v.getValue().at("/accuracy/std").asDouble()});
                }
            }
            int colour = 0;
            for (var v : points.entrySet()) {
                List<double[]> p = new ArrayList<>(v.getValue());
                p.sort((a, b) -> Double.compare(a[0], b[0]));
                double[] x = p.stream().mapToDouble(a -> a[0]).toArray();
                String c = HtmlPage.PALETTE.get(colour++ % HtmlPage.PALETTE.size());
                chart.add(new Series(v.getKey(), x, p.stream().mapToDouble(a -> a[1]).toArray(), Series.Style.LINE_MARKERS, c));
                chart.add(new Series(v.getKey() + " +1 std", x, p.stream().mapToDouble(a -> a[1] + a[2]).toArray(),
                        Series.Style.DASHED, c));
                chart.add(new Series(v.getKey() + " -1 std", x, p.stream().mapToDouble(a -> a[1] - a[2]).toArray(),
                        Series.Style.DASHED, c));
            }
            page.figure("accuracy-vs-macs", e.getKey(), chart, "One point per rank target; dashed: mean +- one standard "
                    + "deviation over the seeds.");
        }
        return page.finish();
    }

    private static List<String> rankHeader(JsonNode g) {
        List<String> h = new ArrayList<>(List.of("layer"));
        g.get("variants").fieldNames().forEachRemaining(v -> h.add(v + " ranks"));
        return h;
    }

    private static List<List<String>> rankRows(JsonNode g) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        int col = 0;
        int n = g.get("variants").size();
        for (var v : g.get("variants").properties()) {
            for (JsonNode l : v.getValue().get("ranks")) {
                List<String> r = rows.computeIfAbsent(l.get("name").asText(), k -> {
                    List<String> x = new ArrayList<>();
                    x.add(k);
                    for (int i = 0; i < n; i++) {
                        x.add("");
                    }
                    return x;
                });
                String d = l.get("decomposition").asText();
                r.set(col + 1, d.equals("skipped") ? "dense" : l.get("r1").isNull() ? "R " + l.get("r0").asText()
                        : l.get("r0").asText() + " / " + l.get("r1").asText());
            }
            col++;
        }
        return new ArrayList<>(rows.values());
    }

    private static String pm(JsonNode s) {
        return s == null ? "" : String.format(Locale.ROOT, "%.2f%% +- %.2f", 100 * s.get("mean").asDouble(),
                100 * s.get("std").asDouble());
    }

    private static String ratio(JsonNode s) {
        return s == null ? "" : String.format(Locale.ROOT, "%.2f", s.get("mean").asDouble());
    }

    private static String diff(JsonNode c) {
        if (c == null) {
            return "";
        }
        return String.format(Locale.ROOT, "%+.2f [%+.2f, %+.2f], p %s", 100 * c.get("difference").asDouble(),
                100 * c.get("ci95_low").asDouble(), 100 * c.get("ci95_high").asDouble(),
                Html.number(c.get("mcnemar_p").asDouble()));
    }
}
