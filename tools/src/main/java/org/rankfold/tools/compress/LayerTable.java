package org.rankfold.tools.compress;

import java.io.PrintWriter;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The per-layer table of a decomposition, from {@code LayerSummary} rows: name, weight shape, r0, r1, the
 * EVBMF sigma^2 of each side, relative reconstruction error, params and MACs before/after; then skip
 * reasons and totals. MACs are per image (FLOPs = 2 x MACs).
 */
public final class LayerTable {
    private LayerTable() {
    }

    public static void print(PrintWriter out, JsonNode rows) {
        out.println(String.format(Locale.ROOT, "%-20s %-8s %-16s %5s %5s %10s %10s %8s %19s %23s", "layer", "method",
                "shape", "r0", "r1", "sigma2_0", "sigma2_1", "rel.err", "params before>after", "MACs before>after"));
        for (JsonNode r : rows) {
            out.println(String.format(Locale.ROOT, "%-20s %-8s %-16s %5s %5s %10s %10s %8s %19s %23s",
                    r.get("name").asText(), r.get("decomposition").asText(), compactShape(r.get("shape")),
                    text(r.get("r0")), text(r.get("r1")), sci(r.get("sigma2_mode0")), sci(r.get("sigma2_mode1")),
                    fixed(r.get("relative_error")), r.get("params_before").asLong() + ">" + r.get("params_after").asLong(),
                    r.get("macs_before").asLong() + ">" + r.get("macs_after").asLong()));
        }
        for (JsonNode r : rows) {
            if (r.has("reason")) {
                out.println("  " + r.get("name").asText() + " skipped: " + r.get("reason").asText());
            }
        }
    }

    /** "params A -> B (Nx), MACs C -> D (Mx) per image". */
    public static String totals(long paramsBefore, long paramsAfter, long macsBefore, long macsAfter) {
        return String.format(Locale.ROOT, "params %d -> %d (%.2fx fewer), MACs %d -> %d per image (%.2fx fewer; FLOPs = 2 x MACs)",
                paramsBefore, paramsAfter, (double) paramsBefore / paramsAfter, macsBefore, macsAfter,
                (double) macsBefore / macsAfter);
    }

    private static String compactShape(JsonNode shape) {
        StringBuilder b = new StringBuilder();
        for (JsonNode d : shape) {
            b.append(b.isEmpty() ? "" : "x").append(d.asInt());
        }
        return b.toString();
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? "-" : n.asText();
    }

    private static String sci(JsonNode n) {
        return n == null || n.isNull() ? "-" : String.format(Locale.ROOT, "%.3e", n.asDouble());
    }

    private static String fixed(JsonNode n) {
        return n == null || n.isNull() ? "-" : String.format(Locale.ROOT, "%.4f", n.asDouble());
    }
}
