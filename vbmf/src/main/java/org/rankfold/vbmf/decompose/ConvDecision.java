package org.rankfold.vbmf.decompose;

import java.util.Optional;

import org.rankfold.vbmf.audit.DecompositionAudit;
import org.rankfold.vbmf.tucker.Tucker2Result;

/**
 * What became of one kxk conv: its Tucker-2 form when it pays, and the audit record either way.
 *
 * @param applied true when the layer is to be replaced by its Tucker-2 form
 * @param tucker  the decomposition, or null when the layer stays dense
 * @param audit   the audit record (decomposition "tucker2" or "skipped" with the reason)
 */
public record ConvDecision(boolean applied, Tucker2Result tucker, DecompositionAudit audit) {

    public Optional<Tucker2Result> result() {
        return Optional.ofNullable(tucker);
    }
}
