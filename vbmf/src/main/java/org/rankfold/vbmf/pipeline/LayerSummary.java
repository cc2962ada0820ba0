package org.rankfold.vbmf.pipeline;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.vbmf.audit.AuditJson;
import org.rankfold.vbmf.audit.DecompositionAudit;
import org.rankfold.vbmf.audit.UnfoldingAudit;

/**
 * The per-layer rows of {@code summary.json} and of the printed tables: name, decomposition, weight shape,
 * {@code r0}, {@code r1} (null for an SVD), the EVBMF noise variance of each side ({@code sigma2_mode0},
 * {@code sigma2_mode1}; null when not EVBMF), relative reconstruction error, params and MACs before/after,
 * with {@code --speed-aware} the measured {@code speedup} (original / decomposed forward time), and for a
 * skipped layer its reason. The full evidence (singular values) is in {@code audit.jsonl}.
 */
public final class LayerSummary {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private LayerSummary() {
    }

    public static ArrayNode of(List<DecompositionAudit> audits) {
        ArrayNode rows = MAPPER.createArrayNode();
        for (DecompositionAudit a : audits) {
            rows.add(row(a));
        }
        return rows;
    }

    public static ObjectNode row(DecompositionAudit a) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("name", a.layer());
        o.put("decomposition", a.decomposition());
        o.set("shape", AuditJson.ints(a.kernelShape()));
        int[] r = a.ranks();
        if (r.length > 0) {
            o.put("r0", r[0]);
        } else {
            o.putNull("r0");
        }
        if (r.length > 1) {
            o.put("r1", r[1]);
        } else {
            o.putNull("r1");
        }
        List<UnfoldingAudit> u = a.unfoldings();
        AuditJson.number(o, "sigma2_mode0", u.isEmpty() ? Double.NaN : u.get(0).sigma2());
        AuditJson.number(o, "sigma2_mode1", u.size() < 2 ? Double.NaN : u.get(1).sigma2());
        AuditJson.number(o, "relative_error", a.relativeError());
        o.put("params_before", a.paramsBefore());
        o.put("params_after", a.paramsAfter());
        o.put("macs_before", a.macsBefore());
        o.put("macs_after", a.macsAfter());
        if (a.timing() != null) {
            AuditJson.number(o, "speedup", a.timing().speedup());
        }
        if (a.decomposition().equals("skipped") && !a.notes().isEmpty()) {
            o.put("reason", a.notes().get(0));
        }
        return o;
    }
}
