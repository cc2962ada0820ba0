package org.rankfold.engine.ops;

import java.util.Arrays;

import org.rankfold.engine.tensor.Tensor;
import org.rankfold.kernels.Backend;
import org.rankfold.kernels.Backends;
import org.rankfold.kernels.Conv2dGeometry;
import org.rankfold.kernels.Transpose;

/**
 * 2-D convolution (cross-correlation, PyTorch's {@code conv2d}, groups = 1) by im2col + GEMM, per image.
 *
 * <p>x is (N, C, H, W), w is (OC, C, KH, KW), bias (OC) or null; y is (N, OC, OH, OW). For image n, with
 * cols = im2col(x_n) of shape (C*KH*KW, OH*OW):
 * <pre>
 *   forward:        y_n  = W (OC x C*KH*KW) * cols + bias
 *   backward data:  dx_n += col2im(W^T * dy_n)              (GEMM TN, then the adjoint of im2col)
 *   backward weight: dW  += dy_n * cols^T                   (GEMM NT, beta = 1)
 *   backward bias:   db  += sum over n, pixels of dy
 * </pre>
 * A 1x1 stride-1 unpadded convolution skips im2col: cols is x_n itself (C x H*W). The column buffer comes
 * from the caller's {@link Workspace}; backward recomputes im2col rather than keeping N column matrices.
 */
public final class Conv2dOp {
    private Conv2dOp() {
    }

    public static Tensor forward(Tensor x, Tensor w, Tensor bias, ConvSpec spec, Workspace workspace) {
        if (x.rank() != 4 || w.rank() != 4) {
            throw new IllegalArgumentException("conv2d needs x (N, C, H, W) and w (OC, C, KH, KW), got "
                    + Arrays.toString(x.shape()) + " and " + Arrays.toString(w.shape()));
        }
        int n = x.dim(0);
        int c = x.dim(1);
        int oc = w.dim(0);
        if (w.dim(1) != c || w.dim(2) != spec.kernelH() || w.dim(3) != spec.kernelW()) {
            throw new IllegalArgumentException("conv2d: weight " + Arrays.toString(w.shape()) + " does not match input channels "
                    + c + " and kernel " + spec.kernelH() + "x" + spec.kernelW());
        }
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != oc)) {
            throw new IllegalArgumentException("conv2d: bias must be (" + oc + "), got " + Arrays.toString(bias.shape()));
        }
        Conv2dGeometry g = spec.geometry(c, x.dim(2), x.dim(3));
        int inSize = g.inputSize();
        int oh = g.outHeight();
        int ow = g.outWidth();
        int ohw = oh * ow;
        int ckk = g.colRows();
        boolean pointwise = spec.isPointwise();
        Workspace ws = workspace != null ? workspace : new Workspace();
        Backend be = Backends.current();
        float[] xd = x.data();
        float[] wd = w.data();
        float[] out = new float[n * oc * ohw];
        for (int i = 0; i < n; i++) {
            int yOff = i * oc * ohw;
            if (pointwise) {
                be.gemm(Transpose.NO, Transpose.NO, oc, ohw, c, 1f, wd, 0, c, xd, i * inSize, ohw, 0f, out, yOff, ohw);
            } else {
                float[] cols = ws.floats(ckk * ohw);
                be.im2col(g, xd, i * inSize, cols, 0);
                be.gemm(Transpose.NO, Transpose.NO, oc, ohw, ckk, 1f, wd, 0, ckk, cols, 0, ohw, 0f, out, yOff, ohw);
            }
            if (bias != null) {
                be.biasRelu(oc, ohw, out, yOff, bias.data(), out, yOff, false);
            }
        }
        Tensor[] inputs = bias == null ? new Tensor[] {x, w} : new Tensor[] {x, w, bias};
        return Tensor.derived(out, new int[] {n, oc, oh, ow}, "conv2d", dout -> {
            Backend bk = Backends.current();
            for (int i = 0; i < n; i++) {
                int dyOff = i * oc * ohw;
                int xOff = i * inSize;
                if (pointwise) {
                    if (w.requiresGrad()) {
                        bk.gemm(Transpose.NO, Transpose.YES, oc, c, ohw, 1f, dout, dyOff, ohw, xd, xOff, ohw,
                                1f, w.gradForAccumulation(), 0, c);
                    }
                    if (x.requiresGrad()) {
                        bk.gemm(Transpose.YES, Transpose.NO, c, ohw, oc, 1f, wd, 0, c, dout, dyOff, ohw,
                                1f, x.gradForAccumulation(), xOff, ohw);
                    }
                } else {
                    float[] cols = ws.floats(ckk * ohw);
                    if (w.requiresGrad()) {
                        bk.im2col(g, xd, xOff, cols, 0);
                        bk.gemm(Transpose.NO, Transpose.YES, oc, ckk, ohw, 1f, dout, dyOff, ohw, cols, 0, ohw,
                                1f, w.gradForAccumulation(), 0, ckk);
                    }
                    if (x.requiresGrad()) {
                        bk.gemm(Transpose.YES, Transpose.NO, ckk, ohw, oc, 1f, wd, 0, ckk, dout, dyOff, ohw,
                                0f, cols, 0, ohw);
                        bk.col2im(g, cols, 0, x.gradForAccumulation(), xOff);
                    }
                }
            }
            if (bias != null && bias.requiresGrad()) {
                double[] sums = new double[oc];
                bk.channelSums(n, oc, ohw, dout, 0, sums);
                float[] gb = bias.gradForAccumulation();
                for (int o = 0; o < oc; o++) {
                    gb[o] += (float) sums[o];
                }
            }
        }, inputs);
    }
}
