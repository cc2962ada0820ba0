package org.rankfold.vbmf.audit;

/**
 * Parameters and multiply-accumulates per image of a dense convolution and of its Tucker-2 form
 * (docs/method.md, params and MACs): the Tucker-2 layer is 1x1 (C -> R_in, at the input resolution), KHxKW
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

    /** A linear layer {@code [out, in]} seen as a 1x1 conv on a 1x1 image. */
    public static ConvCost linear(int out, int in, boolean bias) {
        return new ConvCost(out, in, 1, 1, 1, 1, 1, 1, bias);
    }

    /** Two-factor form of a 1x1 conv or linear layer (in -> R at the output resolution, R -> out): {@code R*(C + S) (+ S)}. */
    public long svdParams(int rank) {
        requirePointwise();
        return (long) rank * (inChannels + outChannels) + (bias ? outChannels : 0);
    }

    /** {@code OH*OW*R*(C + S)} (a stride of the 1x1 conv goes to the first factor). */
    public long svdMacs(int rank) {
        requirePointwise();
        return (long) outHeight * outWidth * rank * (inChannels + outChannels);
    }

    private void requirePointwise() {
        if (kernelHeight != 1 || kernelWidth != 1) {
            throw new IllegalStateException("the two-factor SVD form is for 1x1 convs and linear layers, this kernel is "
                    + kernelHeight + "x" + kernelWidth);
        }
    }
}
