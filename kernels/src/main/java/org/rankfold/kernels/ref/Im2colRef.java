package org.rankfold.kernels.ref;

import org.rankfold.kernels.Conv2dGeometry;

/**
 * Scalar im2col and col2im straight from the definition (see {@link Conv2dGeometry} for the layout):
 * {@code cols[c*KH*KW + p*KW + q][oh*OW + ow] = x[c][oh*SH - PH + p*DH][ow*SW - PW + q*DW]}, zero outside.
 */
public final class Im2colRef {
    private Im2colRef() {
    }

    /** cols is overwritten. */
    public static void im2col(Conv2dGeometry g, float[] x, int xOffset, float[] cols, int colsOffset) {
        im2colBatch(g, 1, x, xOffset, cols, colsOffset); // one image: the batch layout with OH*OW columns
    }

    /** dx is accumulated into. */
    public static void col2im(Conv2dGeometry g, float[] cols, int colsOffset, float[] dx, int dxOffset) {
        col2imBatch(g, 1, cols, colsOffset, dx, dxOffset);
    }

    /**
     * im2col of {@code images} consecutive images side by side: x is (images, C, H, W) at xOffset; cols is
     * (C*KH*KW, images*OH*OW) at colsOffset, image i in columns [i*OH*OW, (i+1)*OH*OW), so that one GEMM
     * with W covers the whole batch: {@code cols[row][i*OH*OW + oh*OW + ow] = x[i][c][h][w]}, zero outside.
     * cols is overwritten.
     */
    public static void im2colBatch(Conv2dGeometry g, int images, float[] x, int xOffset, float[] cols, int colsOffset) {
        int ohw = g.colCols();
        int ld = images * ohw;
        for (int img = 0; img < images; img++) {
            for (int c = 0; c < g.channels(); c++) {
                for (int p = 0; p < g.kernelH(); p++) {
                    for (int q = 0; q < g.kernelW(); q++) {
                        int row = (c * g.kernelH() + p) * g.kernelW() + q;
                        for (int i = 0; i < g.outHeight(); i++) {
                            for (int j = 0; j < g.outWidth(); j++) {
                                int h = i * g.strideH() - g.padH() + p * g.dilationH();
                                int w = j * g.strideW() - g.padW() + q * g.dilationW();
                                boolean inside = h >= 0 && h < g.height() && w >= 0 && w < g.width();
                                cols[colsOffset + row * ld + img * ohw + i * g.outWidth() + j] = inside
                                        ? x[xOffset + img * g.inputSize() + (c * g.height() + h) * g.width() + w] : 0f;
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * col2im of {@code images} images laid out as {@link #im2colBatch} makes them: cols (C*KH*KW,
     * images*OH*OW) is scattered and <b>accumulated</b> into dx (images, C, H, W); each element sums its
     * taps in ascending (p, q) order.
     */
    public static void col2imBatch(Conv2dGeometry g, int images, float[] cols, int colsOffset, float[] dx, int dxOffset) {
        int ohw = g.colCols();
        int ld = images * ohw;
        for (int img = 0; img < images; img++) {
            for (int c = 0; c < g.channels(); c++) {
                for (int p = 0; p < g.kernelH(); p++) {
                    for (int q = 0; q < g.kernelW(); q++) {
                        int row = (c * g.kernelH() + p) * g.kernelW() + q;
                        for (int i = 0; i < g.outHeight(); i++) {
                            for (int j = 0; j < g.outWidth(); j++) {
                                int h = i * g.strideH() - g.padH() + p * g.dilationH();
                                int w = j * g.strideW() - g.padW() + q * g.dilationW();
                                if (h >= 0 && h < g.height() && w >= 0 && w < g.width()) {
                                    dx[dxOffset + img * g.inputSize() + (c * g.height() + h) * g.width() + w] +=
                                            cols[colsOffset + row * ld + img * ohw + i * g.outWidth() + j];
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
