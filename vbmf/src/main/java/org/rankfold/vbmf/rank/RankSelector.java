package org.rankfold.vbmf.rank;

import org.ejml.data.DMatrixRMaj;

/**
 * Chooses the rank of one unfolding (a strategy independent of the decomposition that uses it). Every
 * implementation returns a rank in {@code [1, min(rows, cols)]}: a proposed rank of 0 is clamped to 1 and
 * the clamp is reported in the {@link RankChoice}.
 */
public interface RankSelector {

    /** The rank for {@code unfolding} ({@code [rows, cols]}, not modified). */
    RankChoice select(DMatrixRMaj unfolding);

    /** A short description with the parameters, e.g. {@code evbmf(w=0.5)}; written to the audit trail. */
    String describe();
}
