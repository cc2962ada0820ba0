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
 * script, no network) with a table per (model, target, selector) group of every variant's accuracy (mean +- std over
 * seeds), ratios, the value a target search found, the penalty's share of the training loss and paired differences
 * to plain, to the budget-matched baseline and to EVBMF with their 95% intervals, the penalty share per epoch, the
 * ranks per layer side by side, a table comparing the selectors at each target, and per model accuracy against
 * MACs ratio per variant (and selector) with +- one standard deviation.
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
        Map<String, List<JsonNode>> bySetting = new LinkedHashMap<>();
        for (JsonNode g : sweep.get("groups")) {
            byModel.computeIfAbsent(g.get("model").asText(), k -> new ArrayList<>()).add(g);
            bySetting.computeIfAbsent(g.get("model").asText() + ", target " + g.get("target").asText() + setting(g),
                    k -> new ArrayList<>()).add(g);
            String title = g.get("model").asText() + ", target " + g.get("target").asText()
                    + (selector(g).equals("evbmf") ? "" : ", selector " + selector(g))
                    + (g.get("lambda").isNull() ? "" : ", lambda " + g.get("lambda").asDouble())
                    + (g.get("expand").isNull() ? "" : ", expand " + g.get("expand").asDouble())
                    + " (" + g.get("seeds").size() + " seeds)";
            page.heading(2, null, title);
            page.paragraph("baseline " + pm(g.get("baseline")) + (g.has("baseline_matched")
                    ? "; budget-matched baseline (fine-tuned like the variants) " + pm(g.get("baseline_matched")) : ""));
            boolean searched = any(g, "searched_value");
            boolean share = any(g, "penalty_share");
            boolean vsEvbmf = any(g, "vs_evbmf");
            List<String> header = new ArrayList<>(List.of("variant", "accuracy", "before fine-tuning", "params x", "MACs x"));
            if (searched) {
                header.add("searched value");
            }
            if (share) {
                header.add("penalty share, last training epoch");
            }
            header.addAll(List.of("vs plain", "vs matched baseline"));
            if (vsEvbmf) {
                header.add("vs evbmf");
            }
            List<List<String>> rows = new ArrayList<>();
            for (var e : g.get("variants").properties()) {
                JsonNode v = e.getValue();
                List<String> row = new ArrayList<>(List.of(e.getKey(), pm(v.get("accuracy")),
                        pm(v.get("accuracy_before_finetune")), ratio(v.get("params_ratio")), ratio(v.get("macs_ratio"))));
                if (searched) {
                    row.add(searched(v.get("searched_value")));
                }
                if (share) {
                    row.add(lastShare(v.path("penalty_share").path("train")));
                }
                row.addAll(List.of(diff(v.get("vs_plain")), diff(v.get("vs_baseline_matched"))));
                if (vsEvbmf) {
                    row.add(diff(v.get("vs_evbmf")));
                }
                rows.add(row);
            }
            page.table("variants", header, rows);
            if (share) {
                penaltyTable(page, g);
            }
            page.table("ranks", rankHeader(g), rankRows(g));
        }
        for (var e : bySetting.entrySet()) {
            if (e.getValue().size() > 1) {
                selectorTable(page, e.getKey(), e.getValue());
            }
        }
        for (var e : byModel.entrySet()) {
            SvgChart chart = new SvgChart(e.getKey() + ": accuracy vs MACs ratio", "MACs ratio (original / compressed)",
                    "accuracy (%), mean and +- 1 std");
            Map<String, List<double[]>> points = new LinkedHashMap<>();
            for (JsonNode g : e.getValue()) {
                for (var v : g.get("variants").properties()) {
                    String series = v.getKey() + (selector(g).equals("evbmf") ? "" : " (" + selector(g) + ")");
                    points.computeIfAbsent(series, k -> new ArrayList<>()).add(new double[] {
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

    /** The group's selector; sweep.json files written before selectors were an axis have EVBMF alone. */
    private static String selector(JsonNode g) {
        return g.path("selector").asText("evbmf");
    }

    private static String setting(JsonNode g) {
        return (g.get("lambda").isNull() ? "" : ", lambda " + g.get("lambda").asDouble())
                + (g.get("expand").isNull() ? "" : ", expand " + g.get("expand").asDouble());
    }

    private static boolean any(JsonNode g, String field) {
        for (JsonNode v : g.get("variants")) {
            if (v.has(field)) {
                return true;
            }
        }
        return false;
    }

    /** The selectors at one (model, target, lambda, expansion), variant by variant: what a matched comparison reads. */
    private static void selectorTable(HtmlPage page, String setting, List<JsonNode> groups) {
        page.heading(2, null, "Rank selectors: " + setting);
        page.paragraph("Each selector's fraction is searched to meet the same target; the difference to EVBMF is paired "
                + "by seed and by test image with the same variant under EVBMF.");
        List<List<String>> rows = new ArrayList<>();
        Map<String, List<List<String>>> byVariant = new LinkedHashMap<>();
        for (JsonNode g : groups) {
            for (var e : g.get("variants").properties()) {
                JsonNode v = e.getValue();
                byVariant.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(List.of(e.getKey(), selector(g),
                        pm(v.get("accuracy")), ratio(v.get("params_ratio")), ratio(v.get("macs_ratio")),
                        searched(v.get("searched_value")), diff(v.get("vs_evbmf"))));
            }
        }
        byVariant.values().forEach(rows::addAll);
        page.table("selectors", List.of("variant", "selector", "accuracy", "params x", "MACs x", "searched value",
                "vs evbmf"), rows);
    }

    /** The penalty's share of the training loss per epoch, mean +- std over the seeds, per variant and phase. */
    private static void penaltyTable(HtmlPage page, JsonNode g) {
        int epochs = 0;
        for (JsonNode v : g.get("variants")) {
            for (JsonNode p : v.path("penalty_share")) {
                epochs = Math.max(epochs, p.get("epochs").size());
            }
        }
        List<String> header = new ArrayList<>(List.of("penalty share of the loss"));
        for (int e = 1; e <= epochs; e++) {
            header.add("epoch " + e);
        }
        List<List<String>> rows = new ArrayList<>();
        for (var e : g.get("variants").properties()) {
            for (var p : e.getValue().path("penalty_share").properties()) {
                List<String> row = new ArrayList<>(List.of(e.getKey() + " " + p.getKey()));
                for (int i = 0; i < epochs; i++) {
                    JsonNode m = p.getValue().get("mean").get(i);
                    row.add(m == null ? "" : String.format(Locale.ROOT, "%.3g%% +- %.2g", 100 * m.asDouble(),
                            100 * p.getValue().get("std").get(i).asDouble()));
                }
                rows.add(row);
            }
        }
        page.table("penalty-share", header, rows);
    }

    private static String searched(JsonNode s) {
        return s == null ? "" : s.get("name").asText().replace('_', ' ') + " " + String.format(Locale.ROOT, "%.4g +- %.2g",
                s.get("mean").asDouble(), s.get("std").asDouble());
    }

    private static String lastShare(JsonNode train) {
        if (train.isMissingNode()) {
            return "";
        }
        int last = train.get("mean").size() - 1;
        return String.format(Locale.ROOT, "%.3g%%", 100 * train.get("mean").get(last).asDouble());
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
