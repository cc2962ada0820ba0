package org.rankfold.vbmf.audit;

import java.util.List;

import org.rankfold.vbmf.evbmf.VbmfResult;
import org.rankfold.vbmf.rank.RankChoice;

/**
 * What the rank choice of one unfolding was based on.
 *
 * @param mode           the unfolding's mode (0: {@code [S, C*KH*KW]}, 1: {@code [C, S*KH*KW]})
 * @param rows           rows of the unfolding
 * @param cols           columns of the unfolding
 * @param selector       the rank selector's description
 * @param sigma2         EVBMF noise variance (NaN when the selector did not run EVBMF)
 * @param threshold      EVBMF threshold on the singular values (NaN likewise)
 * @param singularValues the unfolding's singular values, descending (empty when not computed)
 * @param proposedRank   the criterion's own rank
 * @param rank           the rank used
 * @param clampedToOne   true when a proposed 0 was raised to 1
 * @param notes          remarks of the selector (weakening, clamps)
 */
public record UnfoldingAudit(int mode, int rows, int cols, String selector, double sigma2, double threshold,
                             double[] singularValues, int proposedRank, int rank, boolean clampedToOne,
                             List<String> notes) {

    public UnfoldingAudit {
        singularValues = singularValues.clone();
        notes = List.copyOf(notes);
    }

    @Override
    public double[] singularValues() {
        return singularValues.clone();
    }

    /** The audit of a rank choice made on a {@code rows x cols} unfolding. */
    public static UnfoldingAudit of(int mode, int rows, int cols, RankChoice choice) {
        VbmfResult e = choice.evbmf();
        return new UnfoldingAudit(mode, rows, cols, choice.selector(),
                e == null ? Double.NaN : e.sigma2(), e == null ? Double.NaN : e.threshold(),
                e == null ? new double[0] : e.singularValues(), choice.proposedRank(), choice.rank(),
                choice.clampedToOne(), choice.notes());
    }
}
