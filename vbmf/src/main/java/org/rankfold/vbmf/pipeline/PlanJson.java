package org.rankfold.vbmf.pipeline;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.datasets.MalformedFileException;
import org.rankfold.vbmf.audit.AuditJson;
import org.rankfold.vbmf.audit.LayerTiming;
import org.rankfold.vbmf.audit.UnfoldingAudit;
import org.rankfold.vbmf.decompose.DecompositionPlan;
import org.rankfold.vbmf.decompose.LayerPlan;
import org.rankfold.vbmf.decompose.Method;

/**
 * A {@link DecompositionPlan} as JSON and back, exactly: the rank phase records the whole plan (every layer's
 * decision with the evidence behind it) so the Tucker phase applies that plan, also after a resume, instead of
 * planning again. Numbers round-trip bit for bit (JSON text of a double reads back as the same double; NaN is
 * written as null, as in the audit).
 */
final class PlanJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PlanJson() {
    }

    static ObjectNode write(DecompositionPlan plan) {
        ObjectNode o = MAPPER.createObjectNode();
        o.set("input_shape", AuditJson.ints(plan.inputShape()));
        o.put("params_before", plan.paramsBefore());
        o.put("macs_before", plan.macsBefore());
        ArrayNode layers = o.putArray("layers");
        for (LayerPlan l : plan.layers()) {
            ObjectNode n = layers.addObject();
            n.put("name", l.name());
            n.put("type", l.type());
            n.put("method", l.method().label());
            n.set("weight_shape", AuditJson.ints(l.weightShape()));
            n.set("input_shape", AuditJson.ints(l.inputShape()));
            ArrayNode unf = n.putArray("unfoldings");
            l.unfoldings().forEach(u -> unf.add(AuditJson.toJson(u)));
            n.set("ranks", AuditJson.ints(l.ranks()));
            n.put("params_before", l.paramsBefore());
            n.put("params_after", l.paramsAfter());
            n.put("macs_before", l.macsBefore());
            n.put("macs_after", l.macsAfter());
            ArrayNode notes = n.putArray("notes");
            l.notes().forEach(notes::add);
            if (l.timing() != null) {
                n.set("speed", AuditJson.toJson(l.timing()));
            }
        }
        return o;
    }

    static DecompositionPlan read(RecordFields f) throws MalformedFileException {
        List<LayerPlan> layers = new ArrayList<>();
        for (RecordFields l : f.objects("layers")) {
            List<UnfoldingAudit> unf = new ArrayList<>();
            for (RecordFields u : l.objects("unfoldings")) {
                unf.add(unfolding(u));
            }
            layers.add(new LayerPlan(l.text("name"), l.text("type"), method(l), l.ints("weight_shape"),
                    l.ints("input_shape"), unf, l.ints("ranks"), l.count("params_before"), l.count("params_after"),
                    l.count("macs_before"), l.count("macs_after"), l.texts("notes"),
                    l.has("speed") ? timing(l.object("speed")) : null));
        }
        return new DecompositionPlan(f.ints("input_shape"), layers, f.count("params_before"), f.count("macs_before"));
    }

    private static Method method(RecordFields l) throws MalformedFileException {
        String label = l.text("method");
        for (Method m : Method.values()) {
            if (m.label().equals(label)) {
                return m;
            }
        }
        throw l.bad("method", "tucker2, svd or skipped");
    }

    private static UnfoldingAudit unfolding(RecordFields u) throws MalformedFileException {
        int[] shape = u.ints("shape");
        if (shape.length != 2) {
            throw u.bad("shape", "[rows, cols]");
        }
        return new UnfoldingAudit(u.smallCount("mode", 1), shape[0], shape[1], u.text("selector"),
                u.numberOrNaN("sigma2"), u.numberOrNaN("threshold"), u.doubles("singular_values"),
                u.smallCount("proposed_rank", Integer.MAX_VALUE), u.smallCount("rank", Integer.MAX_VALUE),
                u.bool("clamped_to_one"), u.texts("notes"));
    }

    /** The speed check as {@link AuditJson#toJson(LayerTiming)} writes it, validated. */
    static LayerTiming timing(RecordFields t) throws MalformedFileException {
        try {
            return new LayerTiming(t.nonNegative("original_seconds"), t.nonNegative("decomposed_seconds"),
                    t.nonNegative("margin"), t.smallCount("batch", Integer.MAX_VALUE), t.smallCount("threads", 1024),
                    t.smallCount("repetitions", Integer.MAX_VALUE));
        } catch (IllegalArgumentException e) {
            throw new MalformedFileException(t.file().toString(), -1, t.path() + ": " + e.getMessage());
        }
    }
}
