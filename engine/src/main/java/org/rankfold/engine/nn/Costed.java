package org.rankfold.engine.nn;

/**
 * A layer that counts in the params/MACs accounting (docs/method.md, params and MACs): convolutions, factorized
 * convolutions and linear layers. BatchNorm's affine parameters are reported separately; layers without
 * weights cost nothing.
 */
public sealed interface Costed permits Conv2d, FactorizedConv2d, Linear {

    /** Weights plus biases. */
    long weightParameters();

    /**
     * Multiply-accumulates for one image whose input to this layer has shape {@code inputShape} without the
     * batch dimension ((C, H, W) for convolutions, (features) for linear layers).
     */
    long macs(int[] inputShape);
}
