package org.rankfold.tools.bench;

import org.rankfold.kernels.Backend;
import org.rankfold.kernels.Conv2dGeometry;
import org.rankfold.kernels.Transpose;

/**
 * One convolution layer's forward and backward pass on a backend, image by image, the way the engine
 * composes them: x is (N, C, H, W), w (OC, C*KH*KW), y and dy (N, OC, OH*OW).
 * <ul>
 *   <li>forward: cols_i = im2col(x_i); y_i = w * cols_i (NN) — a pointwise conv uses x_i as cols_i;</li>
 *   <li>backward: dw += dy_i * cols_i^T (NT); dcols = w^T * dy_i (TN); dx_i = col2im(dcols).</li>
 * </ul>
 * Buffers are allocated once here, so the timed passes allocate nothing.
 */
final class ConvLayerRun {
    final Conv2dGeometry g;
    final int batch;
    final int outChannels;
    private final Backend backend;
    private final float[] x;
    private final float[] w;
    private final float[] y;
    private final float[] dy;
    private final float[] dx;
    private final float[] dw;
    private final float[] cols;
    private final float[] dcols;

    ConvLayerRun(Backend backend, Conv2dGeometry g, int batch, int outChannels, float[] x, float[] w, float[] dy) {
        this.backend = backend;
        this.g = g;
        this.batch = batch;
        this.outChannels = outChannels;
        this.x = x;
        this.w = w;
        this.dy = dy;
        this.y = new float[batch * outChannels * g.colCols()];
        this.dx = new float[batch * g.inputSize()];
        this.dw = new float[outChannels * g.colRows()];
        // cols of every image stay from forward to backward, as in training
        this.cols = g.isPointwise() ? null : new float[batch * g.colRows() * g.colCols()];
        this.dcols = g.isPointwise() ? null : new float[g.colRows() * g.colCols()];
    }

    /** Multiply-adds of one forward pass: N * OC * C*KH*KW * OH*OW. */
    long forwardMacs() {
        return (long) batch * outChannels * g.colRows() * g.colCols();
    }

    float[] output() {
        return y;
    }

    void forward() {
        int kk = g.colRows();
        int hw = g.colCols();
        for (int i = 0; i < batch; i++) {
            float[] source = x;
            int at = i * g.inputSize();
            if (!g.isPointwise()) {
                backend.im2col(g, x, i * g.inputSize(), cols, i * kk * hw);
                source = cols;
                at = i * kk * hw;
            }
            backend.gemm(Transpose.NO, Transpose.NO, outChannels, hw, kk, 1f, w, 0, kk, source, at, hw,
                    0f, y, i * outChannels * hw, hw);
        }
    }

    void backward() {
        int kk = g.colRows();
        int hw = g.colCols();
        java.util.Arrays.fill(dx, 0f);
        for (int i = 0; i < batch; i++) {
            float[] source = g.isPointwise() ? x : cols;
            int at = g.isPointwise() ? i * g.inputSize() : i * kk * hw;
            backend.gemm(Transpose.NO, Transpose.YES, outChannels, kk, hw, 1f, dy, i * outChannels * hw, hw,
                    source, at, hw, i == 0 ? 0f : 1f, dw, 0, kk);
            if (g.isPointwise()) {
                backend.gemm(Transpose.YES, Transpose.NO, kk, hw, outChannels, 1f, w, 0, kk,
                        dy, i * outChannels * hw, hw, 0f, dx, i * g.inputSize(), hw);
            } else {
                backend.gemm(Transpose.YES, Transpose.NO, kk, hw, outChannels, 1f, w, 0, kk,
                        dy, i * outChannels * hw, hw, 0f, dcols, 0, hw);
                backend.col2im(g, dcols, 0, dx, i * g.inputSize());
            }
        }
    }
}
