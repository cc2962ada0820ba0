package org.rankfold.engine.zoo;

/**
 * One row of a model's accounting (DESIGN.md 2.5): the layer's qualified name, its type, its output shape
 * for one image (without the batch dimension), its weights + biases ({@code params}; 0 for layers that do
 * not count), its BatchNorm affine parameters ({@code bnParams}, reported separately) and its
 * multiply-accumulates per image.
 */
public record LayerCost(String name, String type, int[] outputShape, long params, long bnParams, long macs) {
    public LayerCost {
        outputShape = outputShape.clone();
    }

    @Override
    public int[] outputShape() {
        return outputShape.clone();
    }
}
