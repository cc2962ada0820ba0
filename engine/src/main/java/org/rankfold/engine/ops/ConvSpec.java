package org.rankfold.engine.ops;

/**
 * The hyper-parameters of a 2-D convolution or pooling window, independent of the input size: kernel,
 * stride, zero padding and dilation, each given for height and width.
 */
public record ConvSpec(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW,
                       int dilationH, int dilationW) {

    public ConvSpec {
        if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1 || padH < 0 || padW < 0
                || dilationH < 1 || dilationW < 1) {
            throw new IllegalArgumentException("invalid convolution spec: kernel " + kernelH + "x" + kernelW + ", stride "
                    + strideH + "x" + strideW + ", padding " + padH + "x" + padW + ", dilation " + dilationH + "x" + dilationW);
        }
    }

    /** Square kernel with equal stride, padding and dilation in both directions. */
    public static ConvSpec square(int kernel, int stride, int padding, int dilation) {
        return new ConvSpec(kernel, kernel, stride, stride, padding, padding, dilation, dilation);
    }

    /** The geometry over an input of {@code channels} planes of size height x width. */
    public org.rankfold.kernels.Conv2dGeometry geometry(int channels, int height, int width) {
        return new org.rankfold.kernels.Conv2dGeometry(channels, height, width, kernelH, kernelW, strideH, strideW,
                padH, padW, dilationH, dilationW);
    }

    /** True for 1x1, stride 1, no padding: a per-pixel matrix product. */
    public boolean isPointwise() {
        return kernelH == 1 && kernelW == 1 && strideH == 1 && strideW == 1 && padH == 0 && padW == 0;
    }
}
