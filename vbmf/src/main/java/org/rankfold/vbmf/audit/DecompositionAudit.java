package org.rankfold.vbmf.audit;

import java.util.ArrayList;
import java.util.List;

import org.rankfold.vbmf.rank.RankChoice;
import org.rankfold.vbmf.tucker.Tucker2Result;

/**
 * One step of a compression run for the audit trail ({@code audit.jsonl}, docs/file-formats.md): which layer,
 * what its unfoldings said, which ranks were used, how well the decomposition fits and what it saves.
 * MACs are per image; FLOPs are 2 x MACs and are not stored.
 *
 * @param phase              e.g. {@code "decompose"}
 * @param layer              the layer's name in the model
 * @param decomposition      {@code "tucker2"}, {@code "svd"} or {@code "skipped"}
 * @param kernelShape        {@code [S, C, KH, KW]} (or {@code [out, in]} for a linear layer)
 * @param unfoldings         one entry per unfolding whose rank was chosen
 * @param ranks              the ranks used ({@code [R0, R1]} for Tucker-2, {@code [R]} for SVD, empty when skipped)
 * @param relativeError      {@code ‖W - W_hat‖_F / ‖W‖_F} (NaN when skipped)
 * @param hosvdRelativeError the same for the HOSVD initialisation (NaN when not applicable)
 * @param iterations         HOOI sweeps (0 when not applicable)
 * @param paramsBefore       weights + biases of the dense layer
 * @param paramsAfter        weights + biases after decomposition (= paramsBefore when skipped)
 * @param macsBefore         multiply-accumulates per image of the dense layer
 * @param macsAfter          multiply-accumulates per image after decomposition
 * @param wallSeconds        wall time of the step
 * @param notes              skip reasons, rank clamps, warnings
 * @param timing             the {@code --speed-aware} measurement behind the decision, or null when none was made
 */
public record DecompositionAudit(String phase, String layer, String decomposition, int[] kernelShape,
                                 List<UnfoldingAudit> unfoldings, int[] ranks, double relativeError,
                                 double hosvdRelativeError, int iterations, long paramsBefore, long paramsAfter,
                                 long macsBefore, long macsAfter, double wallSeconds, List<String> notes,
                                 LayerTiming timing) {

    /** Without a speed measurement. */
    public DecompositionAudit(String phase, String layer, String decomposition, int[] kernelShape,
                              List<UnfoldingAudit> unfoldings, int[] ranks, double relativeError,
                              double hosvdRelativeError, int iterations, long paramsBefore, long paramsAfter,
                              long macsBefore, long macsAfter, double wallSeconds, List<String> notes) {
        this(phase, layer, decomposition, kernelShape, unfoldings, ranks, relativeError, hosvdRelativeError, iterations,
                paramsBefore, paramsAfter, macsBefore, macsAfter, wallSeconds, notes, null);
    }

    public DecompositionAudit {
        kernelShape = kernelShape.clone();
        ranks = ranks.clone();
        unfoldings = List.copyOf(unfoldings);
        notes = List.copyOf(notes);
    }

    @Override
    public int[] kernelShape() {
        return kernelShape.clone();
    }

    @Override
    public int[] ranks() {
        return ranks.clone();
    }

    /**
     * The record of a conv decomposed by Tucker-2 with ranks chosen on its mode-0 and mode-1 unfoldings.
     *
     * @param mode0 the choice of R0 on the {@code [S, C*KH*KW]} unfolding
     * @param mode1 the choice of R1 on the {@code [C, S*KH*KW]} unfolding
     */
    public static DecompositionAudit tucker2(String phase, String layer, RankChoice mode0, RankChoice mode1,
                                             Tucker2Result result, ConvCost cost, double wallSeconds) {
        int[] shape = result.kernelShape();
        int rest = result.core().size() / (result.rankOut() * result.rankIn());
        List<UnfoldingAudit> unfoldings = List.of(
                UnfoldingAudit.of(0, shape[0], shape[1] * rest, mode0),
                UnfoldingAudit.of(1, shape[1], shape[0] * rest, mode1));
        List<String> notes = new ArrayList<>();
        for (RankChoice c : List.of(mode0, mode1)) {
            if (c.clampedToOne()) {
                notes.add("warning: " + c.selector() + " proposed rank 0 for a mode; clamped to 1");
            }
        }
        return new DecompositionAudit(phase, layer, "tucker2", shape, unfoldings,
                new int[] {result.rankOut(), result.rankIn()}, result.relativeError(), result.hosvdRelativeError(),
                result.iterations(), cost.denseParams(), cost.tuckerParams(result.rankOut(), result.rankIn()),
                cost.denseMacs(), cost.tuckerMacs(result.rankOut(), result.rankIn()), wallSeconds, notes);
    }

    /**
     * The record of a layer left dense: {@code ranks} are those the selector chose (empty when none was
     * chosen), {@code reason} says why.
     */
    public static DecompositionAudit skipped(String phase, String layer, int[] kernelShape,
                                             List<UnfoldingAudit> unfoldings, int[] ranks, long params, long macs,
                                             double wallSeconds, String reason) {
        return new DecompositionAudit(phase, layer, "skipped", kernelShape, unfoldings, ranks, Double.NaN,
                Double.NaN, 0, params, params, macs, macs, wallSeconds, List.of(reason));
    }
}
