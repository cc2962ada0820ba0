package org.rankfold.kernels.ref;

import org.rankfold.kernels.Backend;
import org.rankfold.kernels.Conv2dGeometry;
import org.rankfold.kernels.Transpose;

/** The scalar reference backend: the living definition of every operation, single-threaded. */
public final class ReferenceBackend implements Backend {

    @Override
    public String name() {
        return "ref";
    }

    @Override
    public int threads() {
        return 1;
    }

    @Override
    public void gemm(Transpose transA, Transpose transB, int m, int n, int k,
                     float alpha, float[] a, int aOffset, int lda,
                     float[] b, int bOffset, int ldb,
                     float beta, float[] c, int cOffset, int ldc) {
        GemmRef.gemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
    }

    @Override
    public void im2col(Conv2dGeometry g, float[] x, int xOffset, float[] cols, int colsOffset) {
        Im2colRef.im2col(g, x, xOffset, cols, colsOffset);
    }

    @Override
    public void col2im(Conv2dGeometry g, float[] cols, int colsOffset, float[] dx, int dxOffset) {
        Im2colRef.col2im(g, cols, colsOffset, dx, dxOffset);
    }

    @Override
    public void im2colBatch(Conv2dGeometry g, int images, float[] x, int xOffset, float[] cols, int colsOffset) {
        Im2colRef.im2colBatch(g, images, x, xOffset, cols, colsOffset);
    }

    @Override
    public void col2imBatch(Conv2dGeometry g, int images, float[] cols, int colsOffset, float[] dx, int dxOffset) {
        Im2colRef.col2imBatch(g, images, cols, colsOffset, dx, dxOffset);
    }

    @Override
    public void channelCombineAccumulate(int n, int c, int hw, float[] a, int aOffset, float[] sa, float[] b,
                                         int bOffset, float[] sb, float[] shift, float[] y, int yOffset) {
        ChannelRef.channelCombineAccumulate(n, c, hw, a, aOffset, sa, b, bOffset, sb, shift, y, yOffset);
    }

    @Override
    public void transposeBlocks(int rows, int cols, int block, float[] x, int xOffset, float[] y, int yOffset) {
        LayoutRef.transposeBlocks(rows, cols, block, x, xOffset, y, yOffset);
    }

    @Override
    public void maxPoolForward(Conv2dGeometry g, float[] x, int xOffset, float[] y, int yOffset,
                               int[] argmax, int argmaxOffset) {
        PoolRef.maxPoolForward(g, x, xOffset, y, yOffset, argmax, argmaxOffset);
    }

    @Override
    public void maxPoolBackward(Conv2dGeometry g, float[] dy, int dyOffset, int[] argmax, int argmaxOffset,
                                float[] dx, int dxOffset) {
        PoolRef.maxPoolBackward(g, dy, dyOffset, argmax, argmaxOffset, dx, dxOffset);
    }

    @Override
    public void avgPoolForward(Conv2dGeometry g, boolean countIncludePad, float[] x, int xOffset,
                               float[] y, int yOffset) {
        PoolRef.avgPoolForward(g, countIncludePad, x, xOffset, y, yOffset);
    }

    @Override
    public void avgPoolBackward(Conv2dGeometry g, boolean countIncludePad, float[] dy, int dyOffset,
                                float[] dx, int dxOffset) {
        PoolRef.avgPoolBackward(g, countIncludePad, dy, dyOffset, dx, dxOffset);
    }

    @Override
    public void channelSums(int n, int c, int hw, float[] x, int xOffset, double[] out) {
        ChannelRef.channelSums(n, c, hw, x, xOffset, out);
    }

    @Override
    public void channelDots(int n, int c, int hw, float[] a, int aOffset, float[] b, int bOffset, double[] out) {
        ChannelRef.channelDots(n, c, hw, a, aOffset, b, bOffset, out);
    }

    @Override
    public void channelAffine(int n, int c, int hw, float[] x, int xOffset, float[] scale, float[] shift,
                              float[] y, int yOffset) {
        ChannelRef.channelAffine(n, c, hw, x, xOffset, scale, shift, y, yOffset);
    }

    @Override
    public void biasRelu(int rows, int cols, float[] x, int xOffset, float[] bias, float[] y, int yOffset,
                         boolean relu) {
        ChannelRef.biasRelu(rows, cols, x, xOffset, bias, y, yOffset, relu);
    }

    @Override
    public void addInPlace(int len, float[] x, int xOffset, float[] y, int yOffset) {
        ElementwiseRef.addInPlace(len, x, xOffset, y, yOffset);
    }

    @Override
    public void axpy(int len, float alpha, float[] x, int xOffset, float[] y, int yOffset) {
        ElementwiseRef.axpy(len, alpha, x, xOffset, y, yOffset);
    }

    @Override
    public void scale(int len, float alpha, float[] x, int xOffset, float[] y, int yOffset) {
        ElementwiseRef.scale(len, alpha, x, xOffset, y, yOffset);
    }

    @Override
    public void relu(int len, float[] x, int xOffset, float[] y, int yOffset) {
        ElementwiseRef.relu(len, x, xOffset, y, yOffset);
    }

    @Override
    public void reluBackward(int len, float[] x, int xOffset, float[] dy, int dyOffset, float[] dx, int dxOffset) {
        ElementwiseRef.reluBackward(len, x, xOffset, dy, dyOffset, dx, dxOffset);
    }

    @Override
    public double softmaxCrossEntropy(int n, int classes, float[] logits, int logitsOffset, int[] labels,
                                      float[] logProbs, int logProbsOffset) {
        return SoftmaxCrossEntropyRef.forward(n, classes, logits, logitsOffset, labels, logProbs, logProbsOffset);
    }

    @Override
    public void softmaxCrossEntropyBackward(int n, int classes, float[] logProbs, int logProbsOffset, int[] labels,
                                            float scale, float[] dlogits, int dlogitsOffset) {
        SoftmaxCrossEntropyRef.backward(n, classes, logProbs, logProbsOffset, labels, scale, dlogits, dlogitsOffset);
    }
}
