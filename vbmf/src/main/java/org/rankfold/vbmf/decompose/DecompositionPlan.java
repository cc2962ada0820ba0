package org.rankfold.vbmf.decompose;

import java.util.List;

/**
 * Every costed layer's decision ({@link LayerPlan}), in forward order, with the whole model's params and
 * MACs per image before (from a traced forward pass) and after (before + the decided changes). Planning
 * only chooses ranks, so it is cheap enough to repeat in a search over the rank selector
 * ({@link TargetRatioSearch}).
 *
 * @param inputShape   one image, e.g. (1, 28, 28)
 * @param layers       the costed layers
 * @param paramsBefore weights + biases of the model (BatchNorm excluded, docs/method.md)
 * @param macsBefore   multiply-accumulates per image
 */
public record DecompositionPlan(int[] inputShape, List<LayerPlan> layers, long paramsBefore, long macsBefore) {

    public DecompositionPlan {
        inputShape = inputShape.clone();
        layers = List.copyOf(layers);
    }

    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    public long paramsAfter() {
        return paramsBefore + layers.stream().mapToLong(l -> l.paramsAfter() - l.paramsBefore()).sum();
    }

    public long macsAfter() {
        return macsBefore + layers.stream().mapToLong(l -> l.macsAfter() - l.macsBefore()).sum();
    }

    /** Original / decomposed params. */
    public double paramsRatio() {
        return (double) paramsBefore / paramsAfter();
    }

    /** Original / decomposed MACs. */
    public double macsRatio() {
        return (double) macsBefore / macsAfter();
    }
}
