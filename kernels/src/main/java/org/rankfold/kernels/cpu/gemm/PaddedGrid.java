package org.rankfold.kernels.cpu.gemm;

import java.util.Arrays;

import org.rankfold.kernels.Conv2dGeometry;

/**
 * Images laid out so that a size-keeping convolution ({@link Conv2dGeometry#keepsSize}) needs no im2col
 * matrix. Each channel's images are copied, row by row, onto a grid of rows {@code gw = W + padW} wide,
 * with {@code padH} zero rows between images and before the first and after the last one. Output pixel
 * (i, oh, ow) is grid column {@code u = (i*(H + padH) + oh)*gw + ow}, and its tap (p, q) reads grid element
 * {@code u + shift(p, q)}, the same shift for every pixel: a tap that falls left of column 0 lands on the
 * previous row's zero columns, one above row 0 on the zero rows. So row (c, p, q) of the GEMM's B is a
 * contiguous run of channel c's grid, packed straight from it.
 *
 * <p>The GEMM computes every grid column in [0, {@link #columns}); those on the padding (ow &gt;= W, or the
 * rows between images) are computed and dropped: a share of {@code (W + padW)(H + padH) / (W H) - 1}
 * (31% at 7x7, 15% at 14x14, 7% at 28x28 for a 3x3 kernel), against the im2col matrix's KH*KW copies
 * of every input element that the grid's one copy replaces.
 */
final class PaddedGrid {
    final int channels;
    final int images;
    final int height;
    final int width;
    final int padH;
    final int padW;
    /** Floats per grid row. */
    final int gw;
    /** Grid rows per image: its H rows and the padH zero rows after it. */
    final int rowsPerImage;
    /** Zero floats before the first image's first row: padH rows and padW columns. */
    final int lead;
    /** Grid columns the GEMM computes: up to the last image's last row. */
    final int columns;
    /** Floats per channel: lead, the columns, and the zeros the last rows' taps read. */
    final int channelLength;
    /** Per tap p*KW + q, the offset of its first element from the channel's start. */
    final int[] shifts;

    PaddedGrid(Conv2dGeometry g, int images) {
        if (!g.keepsSize()) {
            throw new IllegalArgumentException("a padded grid needs a size-keeping convolution (stride 1, "
                    + "dilation 1, odd kernel, padding (K-1)/2), got " + g);
        }
        this.channels = g.channels();
        this.images = images;
        this.height = g.height();
        this.width = g.width();
        this.padH = g.padH();
        this.padW = g.padW();
        this.gw = width + padW;
        this.rowsPerImage = height + padH;
        this.lead = padH * gw + padW;
        long cols = ((long) (images - 1) * rowsPerImage + height) * gw;
        long length = lead + cols + (long) padH * gw + padW;
        if (images < 1 || length * channels >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException("padded grid of " + images + " images " + g + " does not fit an array");
        }
        this.columns = (int) cols;
        this.channelLength = (int) length;
        this.shifts = new int[g.kernelH() * g.kernelW()];
        for (int p = 0; p < g.kernelH(); p++) {
            for (int q = 0; q < g.kernelW(); q++) {
                shifts[p * g.kernelW() + q] = lead + (p - padH) * gw + (q - padW);
            }
        }
    }

    /** Floats the whole grid takes. */
    int size() {
        return channels * channelLength;
    }

    /**
     * Copies the images onto the grid and zeroes its padding: channel c of image i is read at
     * {@code x[xOffset + i*imageStride + c*channelStride]} (H*W floats, row-major).
     */
    void fill(float[] x, int xOffset, int imageStride, int channelStride, float[] grid) {
        for (int c = 0; c < channels; c++) {
            int base = c * channelLength;
            Arrays.fill(grid, base, base + lead, 0f);
            for (int i = 0; i < images; i++) {
                int src = xOffset + i * imageStride + c * channelStride;
                int row = base + lead + i * rowsPerImage * gw;
                for (int r = 0; r < height; r++, row += gw, src += width) {
                    System.arraycopy(x, src, grid, row, width);
                    for (int j = width; j < gw; j++) {
                        grid[row + j] = 0f;
                    }
                }
                if (i < images - 1) {
                    Arrays.fill(grid, row, row + padH * gw, 0f);
                }
            }
            Arrays.fill(grid, base + lead + columns, base + channelLength, 0f);
        }
    }

    /**
     * Copies the output pixels out of a product over the grid's columns (rows of {@link #columns} floats):
     * row o's pixel (i, oh, ow) to {@code y[yOffset + i*imageStride + o*channelStride + oh*W + ow]}.
     */
    void gather(int rows, float[] product, float[] y, int yOffset, int imageStride, int channelStride) {
        for (int o = 0; o < rows; o++) {
            for (int i = 0; i < images; i++) {
                int from = o * columns + i * rowsPerImage * gw;
                int to = yOffset + i * imageStride + o * channelStride;
                for (int r = 0; r < height; r++) {
                    System.arraycopy(product, from + r * gw, y, to + r * width, width);
                }
            }
        }
    }
}
