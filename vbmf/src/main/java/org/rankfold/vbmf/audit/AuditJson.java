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
        if (a.timing() != null) {
            o.set("speed", toJson(a.timing()));
        }
        return o;
    }

    /**
     * The speed check: {@code original_seconds}, {@code decomposed_seconds} (medians per forward call),
     * {@code speedup} (original / decomposed), {@code margin}, {@code faster} (the decision), {@code batch},
     * {@code threads}, {@code repetitions}.
     */
    public static ObjectNode toJson(LayerTiming t) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("original_seconds", t.originalSeconds());
        o.put("decomposed_seconds", t.decomposedSeconds());
        number(o, "speedup", t.speedup());
        o.put("margin", t.margin());
        o.put("faster", t.faster());
        o.put("batch", t.batch());
        o.put("threads", t.threads());
        o.put("repetitions", t.repetitions());
        return o;
    }

    /** The inverse of {@link #toJson(LayerTiming)}. */
    public static LayerTiming timing(JsonNode o) {
        return new LayerTiming(o.get("original_seconds").asDouble(), o.get("decomposed_seconds").asDouble(),
                o.get("margin").asDouble(), o.get("batch").asInt(), o.get("threads").asInt(), o.get("repetitions").asInt());
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
}
