package org.rankfold.tools.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rankfold.vbmf.evbmf.VbmfResult;

/** JSON fields of an EVBMF result (snake_case, as printed by {@code rankfold vbmf --json}). */
public final class VbmfJson {
    private VbmfJson() {
    }

    /**
     * {@code rank, full_rank, sigma2, sigma2_estimated, sigma2_bounds, evaluations, threshold, transposed,
     * singular_values, shrunk_singular_values, free_energy, objective}.
     */
    public static ObjectNode fields(ObjectNode o, VbmfResult r) {
        o.put("rank", r.rank());
        o.put("full_rank", r.fullRank());
        Json.number(o, "sigma2", r.sigma2());
        o.put("sigma2_estimated", r.sigma2Estimated());
        if (r.sigma2Estimated()) {
            o.set("sigma2_bounds", Json.doubles(new double[] {r.sigma2Lower(), r.sigma2Upper()}));
            o.put("evaluations", r.evaluations());
        } else {
            o.putNull("sigma2_bounds");
        }
        Json.number(o, "threshold", r.threshold());
        o.put("transposed", r.transposed());
        o.set("singular_values", Json.doubles(r.singularValues()));
        o.set("shrunk_singular_values", Json.doubles(r.shrunkSingularValues()));
        Json.number(o, "free_energy", r.freeEnergy());
        Json.number(o, "objective", r.objective());
        return o;
    }
}
