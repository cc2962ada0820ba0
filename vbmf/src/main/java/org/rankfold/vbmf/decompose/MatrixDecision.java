package org.rankfold.vbmf.decompose;

import java.util.Optional;

import org.rankfold.vbmf.audit.DecompositionAudit;

/**
 * What became of one 1x1 conv or linear layer: its two-factor SVD form when it pays, and the audit record.
 *
 * @param applied true when the layer is to be replaced by its two factors
 * @param factors the factors, or null when the layer stays dense
 * @param audit   the audit record (decomposition "svd" or "skipped" with the reason)
 */
public record MatrixDecision(boolean applied, LowRankFactors factors, DecompositionAudit audit) {

    public Optional<LowRankFactors> result() {
        return Optional.ofNullable(factors);
    }
}
