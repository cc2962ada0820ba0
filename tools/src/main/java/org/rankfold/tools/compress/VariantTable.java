package org.rankfold.tools.compress;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The final table of {@code rankfold compress}: the baseline, then per variant its params, MACs (per image),
 * both compression ratios (original / compressed) and the accuracy before and after fine-tuning; with the
 * budget-matched baseline, its row ({@code baseline+ft}) after the baseline's.
 */
public final class VariantTable {
    private static final String ROW = "%-10s %10s %12s %9s %9s %12s %12s%n";

    private VariantTable() {
    }

    public static void print(PrintWriter out, JsonNode summary) {
        JsonNode base = summary.get("baseline");
        out.printf(Locale.ROOT, ROW, "variant", "params", "MACs", "params x", "MACs x", "acc before", "acc after");
        out.printf(Locale.ROOT, ROW, "baseline", base.get("params").asLong(), base.get("macs").asLong(), "1.00", "1.00",
                "-", pct(base.get("accuracy")));
        JsonNode matched = summary.get("baseline_matched");
        if (matched != null) {
            // the dense model with the variants' fine-tuning too: the budget-matched reference
            out.printf(Locale.ROOT, ROW, "baseline+ft", base.get("params").asLong(), base.get("macs").asLong(), "1.00", "1.00",
                    "-", pct(matched.get("accuracy")));
        }
        for (Map.Entry<String, JsonNode> e : summary.get("ablation").properties()) {
            JsonNode v = e.getValue();
            out.printf(Locale.ROOT, ROW, e.getKey(), v.get("params").asLong(), v.get("macs").asLong(),
                    String.format(Locale.ROOT, "%.2f", v.get("params_ratio").asDouble()),
                    String.format(Locale.ROOT, "%.2f", v.get("macs_ratio").asDouble()),
                    pct(v.get("accuracy_before_finetune")), pct(v.get("accuracy")));
        }
        out.println("(acc before/after = test accuracy before/after fine-tuning; MACs per image, FLOPs = 2 x MACs"
                + (matched != null ? "; baseline+ft = the baseline fine-tuned like the variants, the budget-matched reference)"
                : ")"));
        printMatched(out, summary);
    }

    /**
     * One line per variant: its accuracy at the common target ratio (summary.json's {@code matched}), or a hint
     * that the variants' ratios differ when no target was given.
     */
    static void printMatched(PrintWriter out, JsonNode summary) {
        JsonNode m = summary.get("matched");
        if (m == null) {
            if (summary.get("ablation").size() > 1) {
                out.println("(each variant at its own EVBMF ratio; --target-params-ratio X compares them at equal size)");
            }
            return;
        }
        out.println();
        out.printf(Locale.ROOT, "accuracy at matched %s ratio %.2fx (%s; spread of the ratios %.1f%%, tolerance %.0f%%):%n",
                m.get("measure").asText(), m.get("target").asDouble(),
                m.get("matched").asBoolean() ? "matched" : m.get("all_met").asBoolean() ? "NOT matched: a ratio overshoots"
                        : "NOT matched: a target was not met", 100 * m.get("spread").asDouble(),
                100 * m.get("tolerance").asDouble());
        for (Map.Entry<String, JsonNode> e : m.get("variants").properties()) {
            JsonNode v = e.getValue();
            out.printf(Locale.ROOT, "  %-10s %6.2fx  %7s  %+6.2f points vs baseline%s%n", e.getKey(), v.get("ratio").asDouble(),
                    pct(v.get("accuracy")), 100 * v.get("delta_vs_baseline").asDouble(), v.has("delta_vs_plain")
                            && !e.getKey().equals("plain") ? String.format(Locale.ROOT, ", %+6.2f vs plain",
                            100 * v.get("delta_vs_plain").asDouble()) : "");
        }
    }

    private static String pct(JsonNode n) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * n.asDouble());
    }
}
