package org.rankfold.tools.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The ablation per layer: for every layer that both the {@code plain} variant (Tucker + VBMF of Kim et al.)
 * and the {@code full} method decomposed, their ranks, relative errors and params side by side, and each
 * unfolding's two spectra overlaid on one chart (the same layer trained two ways: where orthogonal,
 * over-parameterized training moves the spectrum, and so the EVBMF rank). Written only when the run has both.
 */
final class PlainVersusFullSection {
    static final String PLAIN = "plain";
    static final String FULL = "full";
    private static final String PLAIN_COLOR = "#ff7f0e";
    private static final String FULL_COLOR = "#1f77b4";

    private PlainVersusFullSection() {
    }

    static void write(HtmlPage page, RunContents run) {
        Map<String, JsonNode> plain = byLayer(run, PLAIN);
        Map<String, JsonNode> full = byLayer(run, FULL);
        List<String> shared = plain.keySet().stream().filter(full::containsKey).toList();
        if (shared.isEmpty()) {
            return;
        }
        page.heading(2, "plain-vs-full", "Plain Tucker + VBMF against the full method, per layer");
        List<List<String>> rows = new ArrayList<>();
        for (String layer : shared) {
            JsonNode p = plain.get(layer);
            JsonNode f = full.get(layer);
            rows.add(List.of(layer, p.path("ranks").toString(), f.path("ranks").toString(),
                    HtmlPage.num(Html.number(p.path("relative_error").asDouble(Double.NaN))),
                    HtmlPage.num(Html.number(f.path("relative_error").asDouble(Double.NaN))),
                    HtmlPage.num(Html.count(p.path("params_after").asLong())),
                    HtmlPage.num(Html.count(f.path("params_after").asLong()))));
        }
        page.table(null, List.of("layer", "plain ranks", "full ranks", "plain relative error", "full relative error",
                "plain params after", "full params after"), rows);
        page.open("charts");
        for (String layer : shared) {
            JsonNode pu = plain.get(layer).path("unfoldings");
            JsonNode fu = full.get(layer).path("unfoldings");
            for (int m = 0; m < Math.min(pu.size(), fu.size()); m++) {
                double[] ps = doubles(pu.get(m).path("singular_values"));
                double[] fs = doubles(fu.get(m).path("singular_values"));
                if (ps.length == 0 || fs.length == 0) {
                    continue;
                }
                String mode = pu.get(m).path("mode").asText("?");
                SvgChart c = new SvgChart(layer + ": mode-" + mode + " spectra", "component h", "singular value gamma_h")
                        .logY().integerX().size(440, 190)
                        .add(new Series("plain (rank " + pu.get(m).path("rank").asText("?") + ")", x(pu.get(m), ps), ps,
                                Series.Style.LINE, PLAIN_COLOR))
                        .add(new Series("full (rank " + fu.get(m).path("rank").asText("?") + ")", x(fu.get(m), fs), fs,
                                Series.Style.LINE, FULL_COLOR));
                page.figure("spectra-compared", layer + "/mode" + mode, c, "the plain and full variants' spectra of "
                        + layer + "'s mode-" + mode + " unfolding");
            }
        }
        page.close();
    }

    /** The last decomposition record of each layer of {@code variant}, in audit order. */
    private static Map<String, JsonNode> byLayer(RunContents run, String variant) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (JsonNode r : run.decompositions()) {
            if (variant.equals(r.path("variant").asText(null))) {
                m.put(r.path("layer").asText("?"), r);
            }
        }
        return m;
    }

    private static double[] x(JsonNode u, double[] sv) {
        return u.has(AuditReader.INDEX) ? doubles(u.get(AuditReader.INDEX)) : Series.oneToN(sv.length);
    }

    private static double[] doubles(JsonNode a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).isNumber() ? a.get(i).asDouble() : Double.NaN;
        }
        return v;
    }
}
