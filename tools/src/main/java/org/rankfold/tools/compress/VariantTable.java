package org.rankfold.tools.compress;

import java.io.PrintWriter;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The final table of {@code rankfold compress}: the baseline, then per variant its params, MACs (per image),
 * both compression ratios (original / compressed) and the accuracy before and after fine-tuning.
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
        for (Iterator<Map.Entry<String, JsonNode>> it = summary.get("ablation").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            out.printf(Locale.ROOT, ROW, e.getKey(), v.get("params").asLong(), v.get("macs").asLong(),
                    String.format(Locale.ROOT, "%.2f", v.get("params_ratio").asDouble()),
                    String.format(Locale.ROOT, "%.2f", v.get("macs_ratio").asDouble()),
                    pct(v.get("accuracy_before_finetune")), pct(v.get("accuracy")));
        }
        out.println("(acc before/after = test accuracy before/after fine-tuning; MACs per image, FLOPs = 2 x MACs)");
    }

    private static String pct(JsonNode n) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * n.asDouble());
    }
}
