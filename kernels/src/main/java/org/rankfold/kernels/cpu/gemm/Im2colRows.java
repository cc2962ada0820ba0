package org.rankfold.kernels.cpu.gemm;

import java.util.Arrays;

import org.rankfold.kernels.Conv2dGeometry;

/**
 * The im2col matrix of a batch of images, (C*KH*KW, images*OH*OW) in the layout of
 * {@link org.rankfold.kernels.Backend#im2colBatch}, read straight from the images x (images, C, H, W) at
 * xOffset ("implicit im2col"): row {@code c*KH*KW + p*KW + q} is tap (p, q) of channel c, column
 * {@code i*OH*OW + oh*OW + ow} output pixel (oh, ow) of image i; padding reads 0. The packing routines ask for
 * row segments of at most a packed block's width, so the segment is built in L1 instead of a whole cols
 * matrix being written to memory and read back.
 */
record Im2colRows(Conv2dGeometry g, float[] x, int xOffset) implements RowSource {

    @Override
    public void row(int r, int c0, int len, float[] dst, int d) {
        int taps = g.kernelH() * g.kernelW();
        int ch = r / taps;
        int p = (r - ch * taps) / g.kernelW();
        int q = r - ch * taps - p * g.kernelW();
        int ohw = g.colCols();
        int ow = g.outWidth();
        int w = g.width();
        int sw = g.strideW();
        int dw = q * g.dilationW() - g.padW();
        // output columns [jLo, jHi) of a row read inside the image
        int jLo = dw >= 0 ? 0 : (-dw + sw - 1) / sw;
        int jHi = Math.min(ow, Math.floorDiv(w - 1 - dw, sw) + 1);
        boolean sameWidth = sw == 1 && g.strideH() == 1 && ow == w;
        int end = c0 + len;
        int j = c0;
        while (j < end) {
            int img = j / ohw;
            int pix = j - img * ohw;
            int plane = xOffset + img * g.inputSize() + ch * g.height() * w;
            int pieceEnd = Math.min(end, (img + 1) * ohw);
            int at = d + j - c0;
            if (sameWidth) {
                sameWidthPiece(p, dw, jLo, jHi, plane, pix, pix + pieceEnd - j, dst, at);
            } else {
                generalPiece(p, dw, jLo, jHi, plane, pix, pix + pieceEnd - j, dst, at);
            }
            j = pieceEnd;
        }
    }

    /** Output pixels [pix0, pix1) of one image, output row by output row (any stride). */
    private void generalPiece(int p, int dw, int jLo, int jHi, int plane, int pix0, int pix1, float[] dst, int at) {
        int ow = g.outWidth();
        int h = g.height();
        int w = g.width();
        int sw = g.strideW();
        int pix = pix0;
        while (pix < pix1) {
            int oh = pix / ow;
            int o0 = pix - oh * ow;
            int o1 = Math.min(ow, o0 + pix1 - pix);
            int base = at + pix - pix0 - o0;
            int hi = oh * g.strideH() - g.padH() + p * g.dilationH();
            int a = Math.max(o0, jLo);
            int b = Math.min(o1, jHi);
            if (hi < 0 || hi >= h || a >= b) {
                Arrays.fill(dst, base + o0, base + o1, 0f);
            } else {
                for (int o = o0; o < a; o++) {
                    dst[base + o] = 0f;
                }
                int src = plane + hi * w + dw;
                if (sw == 1) {
                    for (int o = a; o < b; o++) {
                        dst[base + o] = x[src + o];
                    }
                } else {
                    for (int o = a; o < b; o++) {
                        dst[base + o] = x[src + o * sw];
                    }
                }
                for (int o = b; o < o1; o++) {
                    dst[base + o] = 0f;
                }
            }
            pix += o1 - o0;
        }
    }

    /**
     * Stride 1 with OW == W: pixel (i, j) reads plane element {@code pix + dh*W + dw}, a shifted copy of the
     * plane; rows outside the image and the columns that wrapped round a row edge are zero.
     */
    private void sameWidthPiece(int p, int dw, int jLo, int jHi, int plane, int pix0, int pix1, float[] dst, int at) {
        int w = g.width();
        int h = g.height();
        int dh = p * g.dilationH() - g.padH();
        int shift = dh * w + dw;
        // pixels whose row lies inside the image and whose source index lies inside the plane
        int from = Math.max(pix0, Math.max(Math.max(0, -dh) * w, -shift));
        int to = Math.min(pix1, Math.min(Math.min(g.outHeight(), h - dh) * w, h * w - shift));
        if (from >= to || jLo >= jHi) {
            Arrays.fill(dst, at, at + pix1 - pix0, 0f);
            return;
        }
        zero(dst, at, at + from - pix0);
        System.arraycopy(x, plane + from + shift, dst, at + from - pix0, to - from);
        zero(dst, at + to - pix0, at + pix1 - pix0);
        // the one or two wrapped columns of every copied row: column o of the rows is every w-th pixel
        for (int o = 0; o < jLo; o++) {
            zeroColumn(dst, at - pix0, from, to, w, o);
        }
        for (int o = jHi; o < w; o++) {
            zeroColumn(dst, at - pix0, from, to, w, o);
        }
    }

    /** Zeroes {@code dst[base + px]} for the pixels px in [from, to) of column o (px % w == o). */
    private static void zeroColumn(float[] dst, int base, int from, int to, int w, int o) {
        int px = from - from % w + o;
        if (px < from) {
            px += w;
        }
        for (; px < to; px += w) {
            dst[base + px] = 0f;
        }
    }

    /** Plain stores for the short runs (a call per empty or one-element range cost more than the copy). */
    private static void zero(float[] dst, int from, int to) {
        for (int i = from; i < to; i++) {
            dst[i] = 0f;
        }
    }
}
