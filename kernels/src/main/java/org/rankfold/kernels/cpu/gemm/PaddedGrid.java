package org.rankfold.kernels.cpu.gemm;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import org.rankfold.kernels.Conv2dGeometry;

/**
 * Images laid out so that a convolution with centred windows ({@link #fits}: stride 1 or 2, odd kernel,
 * padding (K-1)/2, no dilation) needs no im2col matrix.
 *
 * <p>Stride 1: each channel's images are copied, row by row, onto a grid of rows {@code gw = W + padW} wide,
 * with {@code padH} zero rows between images and before the first and after the last one. Output pixel
 * (i, oh, ow) is grid column {@code u = (i*(OH + sep) + oh)*gw + ow}, and its tap (p, q) reads grid element
 * {@code u + shift(p, q)}, the same shift for every pixel: a tap that falls left of column 0 lands on the
 * previous row's zero columns, one above row 0 on the zero rows. So row (c, p, q) of the GEMM's B is a
 * contiguous run of the grid.
 *
 * <p>Stride 2: input pixel (2r + a, 2j + b) goes to phase plane (a, b) at (r, j), so a plane has the output's
 * size, and tap (p, q) of output pixel (oh, ow), which reads input (2oh + p - padH, 2ow + q - padW), reads
 * plane (floorMod(p - padH, 2), floorMod(q - padW, 2)) at (oh + floorDiv(p - padH, 2), ow + floorDiv(q -
 * padW, 2)): again one shift per tap, on a grid of the output's size with the zero rows and columns those
 * shifts reach (one above and left for a 3x3 window, none for a 1x1). Every input element is copied once.
 *
 * <p>The GEMM computes every grid column in [0, {@link #columns}); those on the padding are computed and
 * dropped: a share of {@code (OW + padW')(OH + padH') / (OW OH) - 1} (31% at 7x7, 15% at 14x14, 7% at 28x28
 * for one padding row and column), against the im2col matrix's KH*KW copies of every input element.
 */
final class PaddedGrid {
    private static final VectorSpecies<Float> S512 = FloatVector.SPECIES_512;
    /** Floats per vector of {@link #fillPlane512}. */
    private static final int ROW_VECTOR = 16;

    final int channels;
    final int images;
    final int height;
    final int width;
    final int outH;
    final int outW;
    private final int strideH;
    private final int strideW;
    /** Phase planes per channel: strideH * strideW. */
    private final int phases;
    /** Floats per grid row. */
    final int gw;
    /** Grid rows per image: its OH rows and the zero rows after it. */
    final int rowsPerImage;
    /** Zero floats before the first image's first row. */
    final int lead;
    /** Grid columns the GEMM computes: up to the last image's last row. */
    final int columns;
    /** Floats per phase plane: lead, the columns, and the zeros the last rows' taps read. */
    final int planeLength;
    /** Per tap p*KW + q, its first element's offset from the channel's first plane. */
    private final int[] tapOffset;
    /** The phase planes some tap reads (a 1x1 window at stride 2 reads one of four). */
    private final boolean[] phaseUsed;

    /** Stride 1 or 2 on each axis, no dilation, odd kernel sides and padding (K-1)/2. */
    static boolean fits(Conv2dGeometry g) {
        return g.dilationH() == 1 && g.dilationW() == 1 && (g.strideH() == 1 || g.strideH() == 2)
                && (g.strideW() == 1 || g.strideW() == 2) && g.kernelH() % 2 == 1 && g.kernelW() % 2 == 1
                && g.padH() == g.kernelH() / 2 && g.padW() == g.kernelW() / 2;
    }

    PaddedGrid(Conv2dGeometry g, int images) {
        if (!fits(g) || images < 1) {
            throw new IllegalArgumentException("a padded grid needs stride 1 or 2, no dilation, an odd kernel and "
                    + "padding (K-1)/2, and at least one image; got " + g + ", " + images + " images");
        }
        this.channels = g.channels();
        this.images = images;
        this.height = g.height();
        this.width = g.width();
        this.outH = g.outHeight();
        this.outW = g.outWidth();
        this.strideH = g.strideH();
        this.strideW = g.strideW();
        this.phases = strideH * strideW;
        // zero rows (columns) the taps reach above and below (left and right) the output's own
        int top = -Math.floorDiv(-g.padH(), strideH);
        int bottom = Math.floorDiv(g.kernelH() - 1 - g.padH(), strideH);
        int left = -Math.floorDiv(-g.padW(), strideW);
        int right = Math.floorDiv(g.kernelW() - 1 - g.padW(), strideW);
        this.gw = outW + Math.max(left, right);
        this.rowsPerImage = outH + Math.max(top, bottom);
        this.lead = top * gw + left;
        long cols = ((long) (images - 1) * rowsPerImage + outH) * gw;
        long length = lead + cols + (long) bottom * gw + right;
        if (length * phases * channels >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException("padded grid of " + images + " images " + g + " does not fit an array");
        }
        this.columns = (int) cols;
        this.planeLength = (int) length;
        this.tapOffset = new int[g.kernelH() * g.kernelW()];
        this.phaseUsed = new boolean[phases];
        for (int p = 0; p < g.kernelH(); p++) {
            int dy = p - g.padH();
            for (int q = 0; q < g.kernelW(); q++) {
                int dx = q - g.padW();
                int phase = Math.floorMod(dy, strideH) * strideW + Math.floorMod(dx, strideW);
                phaseUsed[phase] = true;
                tapOffset[p * g.kernelW() + q] = phase * planeLength + lead + Math.floorDiv(dy, strideH) * gw
                        + Math.floorDiv(dx, strideW);
            }
        }
    }

    /** Floats the whole grid takes. */
    int size() {
        return channels * phases * planeLength;
    }

    /** Where row r = c*KH*KW + p*KW + q of B (tap (p, q) of channel c) starts in the grid. */
    int rowStart(int r) {
        int taps = tapOffset.length;
        int c = r / taps;
        return c * phases * planeLength + tapOffset[r - c * taps];
    }

    /**
     * Copies the images onto the grid and zeroes its padding: channel c of image i is read at
     * {@code x[xOffset + i*imageStride + c*channelStride]} (H*W floats, row-major). With vectorBits 512 the
     * stride-1 rows are copied by 512-bit vectors: the row's data and the zero columns after it in one or two
     * stores (a masked load of the row's tail, zeros in the other lanes), where a call of
     * {@code System.arraycopy} per short row and a zeroing loop cost twice as much (28-, 14- and 7-float rows).
     * The same floats land in the same places at every width.
     */
    void fill(int vectorBits, float[] x, int xOffset, int imageStride, int channelStride, float[] grid) {
        if (vectorBits == 512 && phases == 1 && gw - width / ROW_VECTOR * ROW_VECTOR <= ROW_VECTOR) {
            for (int c = 0; c < channels; c++) {
                fillPlane512(x, xOffset + c * channelStride, imageStride, grid, c * planeLength);
            }
            return;
        }
        for (int c = 0; c < channels; c++) {
            for (int phase = 0; phase < phases; phase++) {
                if (phaseUsed[phase]) {
                    fillPlane(x, xOffset + c * channelStride, imageStride, phase / strideW, phase % strideW, grid,
                            (c * phases + phase) * planeLength);
                }
            }
        }
    }

    /** Stride-1 plane of one channel as {@link #fillPlane} writes it, each row's data and zero gap by vectors. */
    private void fillPlane512(float[] x, int src, int imageStride, float[] grid, int base) {
        Arrays.fill(grid, base, base + lead, 0f);
        int full = width / ROW_VECTOR * ROW_VECTOR;
        // the lanes after the whole vectors: the row's last width - full values, then zeros up to the grid row's end
        VectorMask<Float> load = S512.indexInRange(0, width - full);
        VectorMask<Float> store = S512.indexInRange(0, gw - full);
        for (int i = 0; i < images; i++) {
            int row = base + lead + i * rowsPerImage * gw;
            int from = src + i * imageStride;
            for (int r = 0; r < outH; r++, row += gw, from += width) {
                for (int j = 0; j < full; j += ROW_VECTOR) {
                    FloatVector.fromArray(S512, x, from + j).intoArray(grid, row + j);
                }
                FloatVector.fromArray(S512, x, from + full, load).intoArray(grid, row + full, store);
            }
            if (i < images - 1) {
                Arrays.fill(grid, row, row + (rowsPerImage - outH) * gw, 0f);
            }
        }
        Arrays.fill(grid, base + lead + columns, base + planeLength, 0f);
    }

    /** Phase plane (a, b) of one channel (whose image i starts at x[src + i*imageStride]) at grid[base]. */
    private void fillPlane(float[] x, int src, int imageStride, int a, int b, float[] grid, int base) {
        Arrays.fill(grid, base, base + lead, 0f);
        // columns of the plane that hold input pixels (the rest of each grid row is zero)
        int cols = Math.min(outW, (width - b + strideW - 1) / strideW);
        for (int i = 0; i < images; i++) {
            int row = base + lead + i * rowsPerImage * gw;
            for (int r = 0; r < outH; r++, row += gw) {
                int hy = r * strideH + a;
                int j = 0;
                if (hy < height) {
                    int from = src + i * imageStride + hy * width + b;
                    if (strideW == 1) {
                        System.arraycopy(x, from, grid, row, cols);
                    } else {
                        for (; j < cols; j++) {
                            grid[row + j] = x[from + j * strideW];
                        }
                    }
                    j = cols;
                }
                for (; j < gw; j++) {
                    grid[row + j] = 0f;
                }
            }
            if (i < images - 1) {
                Arrays.fill(grid, row, row + (rowsPerImage - outH) * gw, 0f);
            }
        }
        Arrays.fill(grid, base + lead + columns, base + planeLength, 0f);
    }

    /** How {@link #gather} writes into y. */
    enum Gather {
        /** y = product. */
        COPY,
        /** y += product. */
        ADD,
        /** y = 0 + product: what ADD gives into zeros (no -0), without reading y. */
        ADD_TO_ZERO
    }

    /**
     * Copies the output pixels out of a product over the grid's columns (rows of {@link #columns} floats):
     * row o's pixel (i, oh, ow) to {@code y[yOffset + i*imageStride + o*channelStride + oh*OW + ow]}, written as
     * {@code mode} says. With vectorBits 512 each output row moves by 512-bit vectors (a masked one for its last
     * OW mod 16 floats) instead of a {@code System.arraycopy} call or a loop per short row; the same floats, the
     * same sums.
     */
    void gather(int vectorBits, int rows, float[] product, float[] y, int yOffset, int imageStride, int channelStride,
                Gather mode) {
        if (vectorBits == 512) {
            gather512(rows, product, y, yOffset, imageStride, channelStride, mode);
            return;
        }
        for (int o = 0; o < rows; o++) {
            for (int i = 0; i < images; i++) {
                int from = o * columns + i * rowsPerImage * gw;
                int to = yOffset + i * imageStride + o * channelStride;
                for (int r = 0; r < outH; r++) {
                    int src = from + r * gw;
                    int dst = to + r * outW;
                    switch (mode) {
                        case COPY -> System.arraycopy(product, src, y, dst, outW);
                        case ADD -> {
                            for (int j = 0; j < outW; j++) {
                                y[dst + j] += product[src + j];
                            }
                        }
                        case ADD_TO_ZERO -> {
                            for (int j = 0; j < outW; j++) {
                                y[dst + j] = 0f + product[src + j];
                            }
                        }
                    }
                }
            }
        }
    }

    private void gather512(int rows, float[] product, float[] y, int yOffset, int imageStride, int channelStride,
                           Gather mode) {
        int full = outW / ROW_VECTOR * ROW_VECTOR;
        VectorMask<Float> tail = S512.indexInRange(0, outW - full);
        FloatVector zero = FloatVector.zero(S512);
        for (int o = 0; o < rows; o++) {
            for (int i = 0; i < images; i++) {
                int src = o * columns + i * rowsPerImage * gw;
                int dst = yOffset + i * imageStride + o * channelStride;
                for (int r = 0; r < outH; r++, src += gw, dst += outW) {
                    switch (mode) {
                        case COPY -> {
                            for (int j = 0; j < full; j += ROW_VECTOR) {
                                FloatVector.fromArray(S512, product, src + j).intoArray(y, dst + j);
                            }
                            FloatVector.fromArray(S512, product, src + full, tail).intoArray(y, dst + full, tail);
                        }
                        case ADD -> {
                            for (int j = 0; j < full; j += ROW_VECTOR) {
                                FloatVector.fromArray(S512, y, dst + j)
                                        .add(FloatVector.fromArray(S512, product, src + j)).intoArray(y, dst + j);
                            }
                            FloatVector.fromArray(S512, y, dst + full, tail)
                                    .add(FloatVector.fromArray(S512, product, src + full, tail))
                                    .intoArray(y, dst + full, tail);
                        }
                        case ADD_TO_ZERO -> {
                            for (int j = 0; j < full; j += ROW_VECTOR) {
                                zero.add(FloatVector.fromArray(S512, product, src + j)).intoArray(y, dst + j);
                            }
                            zero.add(FloatVector.fromArray(S512, product, src + full, tail))
                                    .intoArray(y, dst + full, tail);
                        }
                    }
                }
            }
        }
    }
}
