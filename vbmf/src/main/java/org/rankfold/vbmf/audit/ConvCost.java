package org.rankfold.vbmf.audit;

/**
 * Parameters and multiply-accumulates per image of a dense convolution and of its Tucker-2 form
 * (DESIGN.md 2.5): the Tucker-2 layer is 1x1 (C -> R_in, at the input resolution), KHxKW
 * (R_in -> R_out, at the output resolution), 1x1 (R_out -> S, at the output resolution, carrying the bias).
 *
 * @param outChannels  S
 * @param inChannels   C
 * @param kernelHeight KH
 * @param kernelWidth  KW
 * @param inHeight     H of the input
 * @param inWidth      W of the input
 * @param outHeight    OH
 * @param outWidth     OW
 * @param bias         whether the conv has a bias
 */
public record ConvCost(int outChannels, int inChannels, int kernelHeight, int kernelWidth, int inHeight,
                       int inWidth, int outHeight, int outWidth, boolean bias) {

    public ConvCost {
        if (outChannels < 1 || inChannels < 1 || kernelHeight < 1 || kernelWidth < 1 || inHeight < 1 || inWidth < 1
                || outHeight < 1 || outWidth < 1) {
            throw new IllegalArgumentException("conv sizes must be >= 1");
        }
    }

    /** {@code S*C*KH*KW (+ S)}. */
    public long denseParams() {
        return (long) outChannels * inChannels * kernelHeight * kernelWidth + (bias ? outChannels : 0);
    }

    /** {@code OH*OW*S*C*KH*KW}. */
    public long denseMacs() {
        return (long) outHeight * outWidth * outChannels * inChannels * kernelHeight * kernelWidth;
    }

    /** {@code C*R_in + R_in*R_out*KH*KW + R_out*S (+ S)}. */
    public long tuckerParams(int rankOut, int rankIn) {
        return (long) inChannels * rankIn + (long) rankIn * rankOut * kernelHeight * kernelWidth
                + (long) rankOut * outChannels + (bias ? outChannels : 0);
    }

    /** {@code H*W*C*R_in + OH*OW*R_in*R_out*KH*KW + OH*OW*R_out*S}. */
    public long tuckerMacs(int rankOut, int rankIn) {
        return (long) inHeight * inWidth * inChannels * rankIn
                + (long) outHeight * outWidth * rankIn * rankOut * kernelHeight * kernelWidth
                + (long) outHeight * outWidth * rankOut * outChannels;
    }
}
