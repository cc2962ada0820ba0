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
        int oh = g.outHeight();
        int ow = g.outWidth();
        for (int c = 0; c < g.channels(); c++) {
            for (int p = 0; p < g.kernelH(); p++) {
                for (int q = 0; q < g.kernelW(); q++) {
                    int row = (c * g.kernelH() + p) * g.kernelW() + q;
                    for (int i = 0; i < oh; i++) {
                        for (int j = 0; j < ow; j++) {
                            int h = i * g.strideH() - g.padH() + p * g.dilationH();
                            int w = j * g.strideW() - g.padW() + q * g.dilationW();
                            boolean inside = h >= 0 && h < g.height() && w >= 0 && w < g.width();
                            cols[colsOffset + row * oh * ow + i * ow + j] =
                                    inside ? x[xOffset + (c * g.height() + h) * g.width() + w] : 0f;
                        }
                    }
                }
            }
        }
    }

    /** dx is accumulated into. */
    public static void col2im(Conv2dGeometry g, float[] cols, int colsOffset, float[] dx, int dxOffset) {
        int oh = g.outHeight();
        int ow = g.outWidth();
        for (int c = 0; c < g.channels(); c++) {
            for (int p = 0; p < g.kernelH(); p++) {
                for (int q = 0; q < g.kernelW(); q++) {
                    int row = (c * g.kernelH() + p) * g.kernelW() + q;
                    for (int i = 0; i < oh; i++) {
                        for (int j = 0; j < ow; j++) {
                            int h = i * g.strideH() - g.padH() + p * g.dilationH();
                            int w = j * g.strideW() - g.padW() + q * g.dilationW();
                            if (h >= 0 && h < g.height() && w >= 0 && w < g.width()) {
                                dx[dxOffset + (c * g.height() + h) * g.width() + w] +=
                                        cols[colsOffset + row * oh * ow + i * ow + j];
                            }
                        }
                    }
                }
            }
        }
    }
}
