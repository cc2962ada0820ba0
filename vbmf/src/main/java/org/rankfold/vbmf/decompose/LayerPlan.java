package org.rankfold.vbmf.decompose;

import java.util.List;

import org.rankfold.vbmf.audit.DecompositionAudit;
import org.rankfold.vbmf.audit.LayerTiming;
import org.rankfold.vbmf.audit.UnfoldingAudit;

/**
 * The decision for one costed layer before any factor is computed: which method, at which ranks, at what
 * cost, or why the layer stays as it is. Costs are per image (docs/method.md); "before" is the layer as it
 * is now (for a {@code FactorizedConv2d}, its factorized cost), "after" is the decomposed form (equal to
 * "before" when skipped).
 *
 * @param name        qualified module name ("layer1.0.conv1")
 * @param type        the module's class name
 * @param method      what will be done
 * @param weightShape {@code [S, C, KH, KW]} for convolutions (the folded kernel of a factorized one),
 *                    {@code [out, in]} for linear layers
 * @param inputShape  the layer's input for one image ({@code (C, H, W)} or {@code (in)})
 * @param unfoldings  the rank choices (mode 0 then mode 1 for Tucker-2; the weight matrix for SVD); empty when
 *                    the layer was excluded before any rank was chosen
 * @param ranks       {@code [R0, R1]}, {@code [R]}, or empty
 * @param notes       skip reason first when skipped, then remarks
 * @param timing      the speed check ({@link SpeedCheck}) of the planned decomposition, or null when none was made
 */
public record LayerPlan(String name, String type, Method method, int[] weightShape, int[] inputShape,
                        List<UnfoldingAudit> unfoldings, int[] ranks, long paramsBefore, long paramsAfter,
                        long macsBefore, long macsAfter, List<String> notes, LayerTiming timing) {

    /** Without a speed check. */
    public LayerPlan(String name, String type, Method method, int[] weightShape, int[] inputShape,
                     List<UnfoldingAudit> unfoldings, int[] ranks, long paramsBefore, long paramsAfter,
                     long macsBefore, long macsAfter, List<String> notes) {
        this(name, type, method, weightShape, inputShape, unfoldings, ranks, paramsBefore, paramsAfter, macsBefore,
                macsAfter, notes, null);
    }

    public LayerPlan {
        weightShape = weightShape.clone();
        inputShape = inputShape.clone();
        ranks = ranks.clone();
        unfoldings = List.copyOf(unfoldings);
        notes = List.copyOf(notes);
    }

    @Override
    public int[] weightShape() {
        return weightShape.clone();
    }

    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    @Override
    public int[] ranks() {
        return ranks.clone();
    }

    /** The same layer, skipped for {@code reason} (costs unchanged, rank choices kept for the record). */
    LayerPlan skipped(String reason) {
        List<String> n = new java.util.ArrayList<>();
        n.add(reason);
        n.addAll(notes);
        return new LayerPlan(name, type, Method.SKIPPED, weightShape, inputShape, unfoldings, ranks, paramsBefore,
                paramsBefore, macsBefore, macsBefore, n, timing);
    }

    /** The same plan with the speed check's {@code t} recorded. */
    LayerPlan timed(LayerTiming t) {
        return new LayerPlan(name, type, method, weightShape, inputShape, unfoldings, ranks, paramsBefore, paramsAfter,
                macsBefore, macsAfter, notes, t);
    }

    /** The audit record of a skipped layer. */
    DecompositionAudit skippedAudit(String phase, double wallSeconds) {
        return new DecompositionAudit(phase, name, Method.SKIPPED.label(), weightShape, unfoldings, ranks, Double.NaN,
                Double.NaN, 0, paramsBefore, paramsBefore, macsBefore, macsBefore, wallSeconds, notes, timing);
    }
}
