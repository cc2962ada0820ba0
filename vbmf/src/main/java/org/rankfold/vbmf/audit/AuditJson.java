package org.rankfold.vbmf.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON form of the audit records. Field names are snake_case; NaN and infinities (not applicable) become
 * {@code null}, since JSON has no such numbers.
 */
public final class AuditJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AuditJson() {
    }

    public static ObjectNode toJson(DecompositionAudit a) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("phase", a.phase());
        o.put("layer", a.layer());
        o.put("decomposition", a.decomposition());
        o.set("kernel_shape", ints(a.kernelShape()));
        ArrayNode unf = o.putArray("unfoldings");
        for (UnfoldingAudit u : a.unfoldings()) {
            unf.add(toJson(u));
        }
        o.set("ranks", ints(a.ranks()));
        number(o, "relative_error", a.relativeError());
        number(o, "hosvd_relative_error", a.hosvdRelativeError());
        o.put("iterations", a.iterations());
        o.put("params_before", a.paramsBefore());
        o.put("params_after", a.paramsAfter());
        o.put("macs_before", a.macsBefore());
        o.put("macs_after", a.macsAfter());
        number(o, "wall_seconds", a.wallSeconds());
        ArrayNode notes = o.putArray("notes");
        a.notes().forEach(notes::add);
        return o;
    }

    public static ObjectNode toJson(UnfoldingAudit u) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("mode", u.mode());
        ArrayNode shape = o.putArray("shape");
        shape.add(u.rows()).add(u.cols());
        o.put("selector", u.selector());
        number(o, "sigma2", u.sigma2());
        number(o, "threshold", u.threshold());
        o.set("singular_values", doubles(u.singularValues()));
        o.put("proposed_rank", u.proposedRank());
        o.put("rank", u.rank());
        o.put("clamped_to_one", u.clampedToOne());
        ArrayNode notes = o.putArray("notes");
        u.notes().forEach(notes::add);
        return o;
    }

    /** Puts {@code value}, or null when it is not finite. */
    public static void number(ObjectNode o, String field, double value) {
        if (Double.isFinite(value)) {
            o.put(field, value);
        } else {
            o.putNull(field);
        }
    }

    /** A JSON array of the values; non-finite ones become null. */
    public static ArrayNode doubles(double[] values) {
        ArrayNode a = MAPPER.createArrayNode();
        for (double v : values) {
            if (Double.isFinite(v)) {
                a.add(v);
            } else {
                a.addNull();
            }
        }
        return a;
    }

    public static ArrayNode ints(int[] values) {
        ArrayNode a = MAPPER.createArrayNode();
        for (int v : values) {
            a.add(v);
        }
        return a;
    }

    /** One-line JSON text of a node. */
    public static String line(JsonNode node) {
        return node.toString();
    }
}
