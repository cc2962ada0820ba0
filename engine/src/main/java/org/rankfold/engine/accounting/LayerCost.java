package org.rankfold.engine.accounting;

import java.util.Arrays;

/**
 * Cost of one costed layer (conv, factorized conv, linear) for one image: its qualified name, type, input
 * and output shapes without the batch dimension, weights + biases, and multiply-accumulates.
 */
public record LayerCost(String name, String type, int[] inputShape, int[] outputShape, long parameters, long macs) {

    public LayerCost {
        inputShape = inputShape.clone();
        outputShape = outputShape.clone();
    }

    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    @Override
    public int[] outputShape() {
        return outputShape.clone();
    }

    /** FLOPs = 2 x MACs (one multiply and one add each). */
    public long flops() {
        return 2 * macs;
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(inputShape) + " -> " + Arrays.toString(outputShape)
                + ": params " + parameters + ", MACs " + macs;
    }
}
