package org.rankfold.vbmf.decompose;

import java.util.List;

import org.rankfold.vbmf.audit.DecompositionAudit;

/**
 * What the decomposer did: one audit record per costed layer (decomposed or skipped with its reason) and
 * the model's params and MACs per image before and after. Ratios are original / decomposed.
 */
public record DecompositionResult(List<DecompositionAudit> layers, long paramsBefore, long paramsAfter,
                                  long macsBefore, long macsAfter) {

    public DecompositionResult {
        layers = List.copyOf(layers);
    }

    public double paramsRatio() {
        return (double) paramsBefore / paramsAfter;
    }

    public double macsRatio() {
        return (double) macsBefore / macsAfter;
    }

    /** Number of layers actually replaced. */
    public long decomposedCount() {
        return layers.stream().filter(a -> !a.decomposition().equals(Method.SKIPPED.label())).count();
    }
}
