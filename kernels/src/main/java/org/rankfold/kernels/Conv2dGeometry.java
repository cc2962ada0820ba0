package org.rankfold.kernels;

/**
 * The index math of one 2-D convolution (or pooling window sweep), defined once.
 *
 * <p>Input x is (C, H, W) per image, row-major; the kernel is (KH, KW) with the given stride, zero
 * padding and dilation; output is (OH, OW) with {@code OH = floor((H + 2*padH - dilH*(KH-1) - 1)/strideH) + 1}
 * (PyTorch's and the golden data's convention). The im2col matrix of one image is
 * (C*KH*KW, OH*OW), row index {@code c*KH*KW + p*KW + q}, column index {@code oh*OW + ow}.
 */
public record Conv2dGeometry(int channels, int height, int width,
                             int kernelH, int kernelW,
                             int strideH, int strideW,
                             int padH, int padW,
                             int dilationH, int dilationW) {

    public Conv2dGeometry {
        // Checked first, described only on failure: geometries are built per tile and channel on hot paths,
        // where building the messages eagerly cost more than the pooling they described.
        if (!valid(channels, height, width, kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW)) {
            throw new IllegalArgumentException("Conv2dGeometry: " + problem(channels, height, width, kernelH,
                    kernelW, strideH, strideW, padH, padW, dilationH, dilationW));
        }
    }

    private static boolean valid(int channels, int height, int width, int kernelH, int kernelW, int strideH,
                                 int strideW, int padH, int padW, int dilationH, int dilationW) {
        if (channels < 1 || height < 1 || width < 1 || kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1
                || padH < 0 || padW < 0 || dilationH < 1 || dilationW < 1) {
            return false;
        }
        long oh = outSize(height, kernelH, strideH, padH, dilationH);
        long ow = outSize(width, kernelW, strideW, padW, dilationW);
        return oh >= 1 && ow >= 1 && (long) channels * kernelH * kernelW * oh * ow < Integer.MAX_VALUE;
    }

    /** The first violated requirement, in words. */
    private static String problem(int channels, int height, int width, int kernelH, int kernelW, int strideH,
                                  int strideW, int padH, int padW, int dilationH, int dilationW) {
        if (channels < 1) {
            return "channels must be >= 1, got " + channels;
        }
        if (height < 1 || width < 1) {
            return "input size must be >= 1, got " + height + "x" + width;
        }
        if (kernelH < 1 || kernelW < 1) {
            return "kernel size must be >= 1, got " + kernelH + "x" + kernelW;
        }
        if (strideH < 1 || strideW < 1) {
            return "stride must be >= 1, got " + strideH + "x" + strideW;
        }
        if (padH < 0 || padW < 0) {
            return "padding must be >= 0, got " + padH + "x" + padW;
        }
        if (dilationH < 1 || dilationW < 1) {
            return "dilation must be >= 1, got " + dilationH + "x" + dilationW;
        }
        long oh = outSize(height, kernelH, strideH, padH, dilationH);
        long ow = outSize(width, kernelW, strideW, padW, dilationW);
        if (oh < 1 || ow < 1) {
            return "kernel " + kernelH + "x" + kernelW + " (dilation " + dilationH + "x" + dilationW
                    + ") does not fit input " + height + "x" + width + " with padding " + padH + "x" + padW;
        }
        return "im2col matrix of one image exceeds 2^31 elements";
    }

    /** Square kernel, equal stride/padding in both directions, no dilation. */
    public static Conv2dGeometry square(int channels, int height, int width, int kernel, int stride, int pad) {
        return new Conv2dGeometry(channels, height, width, kernel, kernel, stride, stride, pad, pad, 1, 1);
    }

    private static long outSize(int in, int k, int stride, int pad, int dil) {
        return Math.floorDiv((long) in + 2L * pad - (long) dil * (k - 1) - 1, stride) + 1;
    }

    public int outHeight() {
        return (int) outSize(height, kernelH, strideH, padH, dilationH);
    }

    public int outWidth() {
        return (int) outSize(width, kernelW, strideW, padW, dilationW);
    }

    /** Elements of one input image: C*H*W. */
    public int inputSize() {
        return channels * height * width;
    }

    /** Rows of the im2col matrix: C*KH*KW. */
    public int colRows() {
        return channels * kernelH * kernelW;
    }

    /** Columns of the im2col matrix: OH*OW. */
    public int colCols() {
        return outHeight() * outWidth();
    }

    /** True when the convolution is a plain per-pixel matrix product (1x1, stride 1, no padding). */
    public boolean isPointwise() {
        return kernelH == 1 && kernelW == 1 && strideH == 1 && strideW == 1 && padH == 0 && padW == 0;
    }
}
