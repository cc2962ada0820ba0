package org.rankfold.kernels.ref;

import org.rankfold.kernels.Conv2dGeometry;

/**
 * The three products of a convolution over a batch of images, straight from the definition (sums over the
 * kernel taps in double, no im2col): the oracle of {@link org.rankfold.kernels.Backend#convForward},
 * {@link org.rankfold.kernels.Backend#convWeightGrad} and {@link org.rankfold.kernels.Backend#convDataCols}.
 * x is (images, C, H, W), w (OC, C*KH*KW), y and dy (images, OC, OH*OW); tap row r = c*KH*KW + p*KW + q.
 */
public final class ConvGemmRef {
    private ConvGemmRef() {
    }

    /** {@code y[i][o][pix] = sum_r w[o][r] * im2col(x_i)[r][pix]}; y is overwritten. */
    public static void forward(Conv2dGeometry g, int images, int oc, float[] w, int wOffset, float[] x, int xOffset,
                               float[] y, int yOffset) {
        int ckk = g.colRows();
        int ohw = g.colCols();
        for (int i = 0; i < images; i++) {
            for (int o = 0; o < oc; o++) {
                for (int pix = 0; pix < ohw; pix++) {
                    double sum = 0;
                    for (int r = 0; r < ckk; r++) {
                        sum += (double) w[wOffset + o * ckk + r] * tap(g, x, xOffset, i, r, pix);
                    }
                    y[yOffset + (i * oc + o) * ohw + pix] = (float) sum;
                }
            }
        }
    }

    /** {@code dw[o][r] = beta*dw[o][r] + sum_{i, pix} dy[i][o][pix] * im2col(x_i)[r][pix]}. */
    public static void weightGrad(Conv2dGeometry g, int images, int oc, float[] dy, int dyOffset, float[] x,
                                  int xOffset, float beta, float[] dw, int dwOffset) {
        int ckk = g.colRows();
        int ohw = g.colCols();
        for (int o = 0; o < oc; o++) {
            for (int r = 0; r < ckk; r++) {
                double sum = 0;
                for (int i = 0; i < images; i++) {
                    for (int pix = 0; pix < ohw; pix++) {
                        sum += (double) dy[dyOffset + (i * oc + o) * ohw + pix] * tap(g, x, xOffset, i, r, pix);
                    }
                }
                int at = dwOffset + o * ckk + r;
                dw[at] = (float) (sum + (beta == 0f ? 0.0 : (double) beta * dw[at]));
            }
        }
    }

    /** {@code cols[r][i*OH*OW + pix] = sum_o w[o][r] * dy[i][o][pix]}; cols is overwritten. */
    public static void dataCols(Conv2dGeometry g, int images, int oc, float[] w, int wOffset, float[] dy,
                                int dyOffset, float[] cols, int colsOffset) {
        int ckk = g.colRows();
        int ohw = g.colCols();
        for (int r = 0; r < ckk; r++) {
            for (int i = 0; i < images; i++) {
                for (int pix = 0; pix < ohw; pix++) {
                    double sum = 0;
                    for (int o = 0; o < oc; o++) {
                        sum += (double) w[wOffset + o * ckk + r] * dy[dyOffset + (i * oc + o) * ohw + pix];
                    }
                    cols[colsOffset + r * images * ohw + i * ohw + pix] = (float) sum;
                }
            }
        }
    }

    /** im2col(x_i)[r][pix]: the input value tap r of output pixel pix reads, 0 in the padding. */
    static float tap(Conv2dGeometry g, float[] x, int xOffset, int image, int r, int pix) {
        int taps = g.kernelH() * g.kernelW();
        int c = r / taps;
        int p = (r % taps) / g.kernelW();
        int q = r % g.kernelW();
        int oh = pix / g.outWidth();
        int ow = pix % g.outWidth();
        int h = oh * g.strideH() - g.padH() + p * g.dilationH();
        int wi = ow * g.strideW() - g.padW() + q * g.dilationW();
        if (h < 0 || h >= g.height() || wi < 0 || wi >= g.width()) {
            return 0f;
        }
        return x[xOffset + image * g.inputSize() + (c * g.height() + h) * g.width() + wi];
    }
}
