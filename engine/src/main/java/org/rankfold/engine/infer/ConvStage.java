package org.rankfold.engine.infer;

import org.rankfold.engine.ops.ConvSpec;
import org.rankfold.kernels.Conv2dGeometry;

/**
 * One convolution of a {@link ConvChainStep}: weight (OC, C*KH*KW) row-major (its own copy, with any
 * batch norm already folded in), bias (OC) or null, the window spec. A linear layer is a 1x1 stage over a
 * (features, 1, 1) activation.
 */
record ConvStage(float[] weight, float[] bias, int inChannels, int outChannels, ConvSpec spec) {

    /** Rows of the im2col matrix per output column: C*KH*KW. */
    int depth() {
        return inChannels * spec.kernelH() * spec.kernelW();
    }

    /** The geometry of one channel plane (the plan runs im2col per channel, see {@link ConvChainStep}). */
    Conv2dGeometry planeGeometry(int height, int width) {
        return spec.geometry(1, height, width);
    }

    /** A copy whose output rows are scaled and shifted (a batch norm folded in): row o becomes
     *  {@code scale[o] * (W[o] x + b[o]) + shift[o]}; computed in double. */
    ConvStage scaled(double[] scale, double[] shift) {
        int per = depth();
        float[] w = new float[weight.length];
        float[] b = new float[outChannels];
        for (int o = 0; o < outChannels; o++) {
            for (int e = 0; e < per; e++) {
                w[o * per + e] = (float) (scale[o] * weight[o * per + e]);
            }
            double old = bias == null ? 0 : bias[o];
            b[o] = (float) (scale[o] * old + shift[o]);
        }
        return new ConvStage(w, b, inChannels, outChannels, spec);
    }
}
