package org.rankfold.engine.nn;

import java.util.SplittableRandom;

import org.rankfold.engine.ops.Conv2dOp;
import org.rankfold.engine.ops.ConvSpec;
import org.rankfold.engine.tensor.Tensor;

/**
 * 2-D convolution, PyTorch's {@code nn.Conv2d}: x (N, C, H, W) -> y (N, OC, OH, OW), weight (OC, C, KH,
 * KW) named "weight", optional bias (OC) named "bias". Any kernel size, stride, zero padding and dilation;
 * im2col + GEMM, and a 1x1 stride-1 unpadded convolution is a direct GEMM (see {@link Conv2dOp}).
 *
 * <p><b>Only groups = 1</b> is supported: grouped and depthwise convolutions are rejected with an
 * exception (and the compression pipeline leaves such layers dense, docs/method.md, which layers).
 *
 * <p>Initialization is PyTorch's default ({@link Init#pytorchDefault}) from the given generator.
 */
public final class Conv2d extends Module implements Costed {
    private final int inChannels;
    private final int outChannels;
    private final ConvSpec spec;
    private final Tensor weight;
    private final Tensor bias;

    /** Square kernel, dilation 1, groups 1. */
    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, boolean bias,
                  SplittableRandom rng) {
        this(inChannels, outChannels, ConvSpec.square(kernel, stride, padding, 1), bias, 1, rng);
    }

    /**
     * General form. {@code groups} must be 1 (see the class comment).
     */
    public Conv2d(int inChannels, int outChannels, ConvSpec spec, boolean bias, int groups, SplittableRandom rng) {
        this(inChannels, outChannels, spec, initWeight(inChannels, outChannels, spec, groups, rng),
                bias ? Init.pytorchDefaultBias(rng, inChannels * spec.kernelH() * spec.kernelW(), outChannels) : null);
    }

    private static Tensor initWeight(int in, int out, ConvSpec spec, int groups, SplittableRandom rng) {
        if (groups != 1) {
            throw new IllegalArgumentException("Conv2d supports groups = 1 only, got groups = " + groups
                    + " (grouped/depthwise convolutions are not implemented)");
        }
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("Conv2d channels must be >= 1, got " + in + " -> " + out);
        }
        return Init.pytorchDefault(rng, out, in, spec.kernelH(), spec.kernelW());
    }

    /** A convolution with the given weight (OC, C, KH, KW) and bias (OC) or null (used as is, not copied). */
    public static Conv2d of(Tensor weight, Tensor bias, ConvSpec spec) {
        if (weight.rank() != 4) {
            throw new IllegalArgumentException("conv weight must be (OC, C, KH, KW), got rank " + weight.rank());
        }
        return new Conv2d(weight.dim(1), weight.dim(0), spec, weight, bias);
    }

    private Conv2d(int inChannels, int outChannels, ConvSpec spec, Tensor weight, Tensor bias) {
        if (weight.dim(0) != outChannels || weight.dim(1) != inChannels || weight.dim(2) != spec.kernelH()
                || weight.dim(3) != spec.kernelW()) {
            throw new IllegalArgumentException("conv weight " + java.util.Arrays.toString(weight.shape())
                    + " does not match " + inChannels + " -> " + outChannels + " with kernel " + spec.kernelH() + "x" + spec.kernelW());
        }
        if (bias != null && bias.size() != outChannels) {
            throw new IllegalArgumentException("conv bias must have " + outChannels + " elements, got " + bias.size());
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.spec = spec;
        this.weight = registerParameter("weight", weight);
        this.bias = bias == null ? null : registerParameter("bias", bias);
    }

    @Override
    protected Tensor compute(Tensor x) {
        return Conv2dOp.forward(x, weight, bias, spec);
    }

    public Tensor weight() {
        return weight;
    }

    /** The bias, or null. */
    public Tensor bias() {
        return bias;
    }

    public ConvSpec spec() {
        return spec;
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    /** Output (OC, OH, OW) for an input (C, H, W). */
    public int[] outputShape(int[] inputShape) {
        org.rankfold.kernels.Conv2dGeometry g = spec.geometry(inputShape[0], inputShape[1], inputShape[2]);
        return new int[] {outChannels, g.outHeight(), g.outWidth()};
    }

    @Override
    public long weightParameters() {
        return (long) weight.size() + (bias == null ? 0 : bias.size());
    }

    /** OH*OW*OC*C*KH*KW. */
    @Override
    public long macs(int[] inputShape) {
        int[] out = outputShape(inputShape);
        return (long) out[1] * out[2] * outChannels * inChannels * spec.kernelH() * spec.kernelW();
    }

    @Override
    public String toString() {
        return "Conv2d(" + inChannels + ", " + outChannels + ", kernel=" + spec.kernelH() + "x" + spec.kernelW()
                + ", stride=" + spec.strideH() + ", padding=" + spec.padH() + ", dilation=" + spec.dilationH()
                + ", bias=" + (bias != null) + ")";
    }
}
