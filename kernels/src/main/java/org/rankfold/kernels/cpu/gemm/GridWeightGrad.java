package org.rankfold.kernels.cpu.gemm;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import org.rankfold.kernels.Conv2dGeometry;

/**
 * A convolution's weight gradient on a {@link PaddedGrid} ({@link PaddedGrid#fits}: centred windows, stride 1
 * or 2), with neither an im2col matrix nor transposed panels:
 * <pre>
 *   dW[o][r] = sum over the grid's columns u of dyT[u][o] * grid[rowStart(r) + u]
 * </pre>
 * where r = (c, p, q) is a row of im2col(x), whose grid row is a contiguous run read in place, and dyT holds
 * dy's value of the output pixel at grid column u (zero on the padding columns and rows, whose products then
 * add nothing). The blocked GEMM's version of this product packed both operands with the pixels as the
 * depth: each im2col row segment was built (zeroing the columns wrapped round the row edges one strided
 * store at a time) and transposed into register panels, 20% of a ResNet-20 training step (docs/benchmarks.md).
 * Here the vectors run along the output channels instead: dyT's rows are {@link #LANES}-channel groups, and
 * four grid rows are broadcast element by element against them, so the only copies are the images onto the
 * grid and dy into dyT (a ninth of im2col's size for a 3x3 window).
 *
 * <p>Order of the sums, the same at every vector width and thread count: for each element one fused
 * multiply-add chain over the columns of a block of {@link #blockColumns} columns, from zero and in
 * ascending u; the block sums added in block order to a float accumulator, groups of images in order, then
 * {@code dW = acc} (beta 0) or {@code beta*dW + acc}. Lanes never mix (a channel is a lane), the blocks and
 * groups depend only on the geometry, and threads take whole quadruples of rows. Against im2col + GEMM the
 * results agree to rounding; an input with Inf would give NaN on the padding products (0 * Inf), where a
 * training step has stopped already on the non-finite activation.
 */
final class GridWeightGrad {
    /** Channels per lane group: dyT's rows are padded to a multiple of this, whatever the vector width. */
    static final int LANES = 16;
    /** Grid rows per register block. */
    private static final int ROWS = 4;
    /** Floats of one block of dyT kept in L1 while every row block runs over it (16 KiB). */
    private static final int BLOCK_FLOATS = 4096;
    /** Floats of grid and dyT per group of images (2 MiB, one core's L2 here). */
    private static final long GROUP_FLOATS = 1L << 19;
    private static final VectorSpecies<Float> S512 = FloatVector.SPECIES_512;
    private static final VectorSpecies<Float> S256 = FloatVector.SPECIES_256;

    private GridWeightGrad() {
    }

    /** dyT's row length for OC output channels. */
    static int paddedChannels(int oc) {
        return (oc + LANES - 1) / LANES * LANES;
    }

    /** Columns per block: a block of dyT of {@link #BLOCK_FLOATS}, at least 32 columns. */
    static int blockColumns(int oc) {
        return Math.max(32, BLOCK_FLOATS / paddedChannels(oc));
    }

    /** Images per group: grid and dyT of the group within {@link #GROUP_FLOATS}, at least one image. */
    static int groupImages(PaddedGrid single, int oc, int images) {
        long perImage = single.size() + (long) single.rowsPerImage * single.gw * paddedChannels(oc);
        return (int) Math.max(1, Math.min(images, GROUP_FLOATS / perImage));
    }

    /**
     * dyT (grid.columns x paddedChannels(oc)) = dy's images (images, OC, OH*OW) at dyOffset on the grid's output
     * positions, zero elsewhere (at 512 bits the padded channels past OC of the output positions hold copies of
     * another channel, see below; nothing reads them). At 512 bits a pixel's 16 channels are one gather (channel stride OH*OW) and one
     * store instead of 16 scalar stores a row of dyT apart; index holds at least 32 ints (overwritten). The
     * values are the same at every width.
     */
    static void scatter(int vectorBits, PaddedGrid grid, int oc, float[] dy, int dyOffset, float[] dyT, int[] index) {
        int ocp = paddedChannels(oc);
        int ohw = grid.outH * grid.outW;
        if (vectorBits != 512) {
            Arrays.fill(dyT, 0, grid.columns * ocp, 0f);
            for (int i = 0; i < grid.images; i++) {
                for (int o = 0; o < oc; o++) {
                    int src = dyOffset + (i * oc + o) * ohw;
                    for (int oh = 0; oh < grid.outH; oh++) {
                        int u = (i * grid.rowsPerImage + oh) * grid.gw;
                        int s = src + oh * grid.outW;
                        for (int ow = 0; ow < grid.outW; ow++) {
                            dyT[(u + ow) * ocp + o] = dy[s + ow];
                        }
                    }
                }
            }
            return;
        }
        // index[0..16): channels of a whole group; index[16..32): the last group's, whose lanes past OC read the
        // group's first channel again: those padded channels' sums are never stored (store reads o < OC). A
        // masked gather that zeroed them instead fell, on some runs, into the Vector API's allocating fallback
        // (2-3 MB per small training step in StepArenaTest, stuck for hundreds of steps)
        int tail = oc - (ocp - LANES);
        for (int l = 0; l < LANES; l++) {
            index[l] = l * ohw;
            index[LANES + l] = l < tail ? l * ohw : 0;
        }
        int padColumns = (grid.gw - grid.outW) * ocp;
        for (int i = 0; i < grid.images; i++) {
            int image = dyOffset + i * oc * ohw;
            for (int oh = 0; oh < grid.outH; oh++) {
                int u = (i * grid.rowsPerImage + oh) * grid.gw;
                int s = image + oh * grid.outW;
                for (int ow = 0; ow < grid.outW; ow++) {
                    int d = (u + ow) * ocp;
                    int v = 0;
                    for (; v + LANES < ocp; v += LANES) {
                        FloatVector.fromArray(S512, dy, s + ow + v * ohw, index, 0).intoArray(dyT, d + v);
                    }
                    FloatVector.fromArray(S512, dy, s + ow + v * ohw, index, LANES).intoArray(dyT, d + v);
                }
                int pad = (u + grid.outW) * ocp;
                Arrays.fill(dyT, pad, Math.min(pad + padColumns, grid.columns * ocp), 0f);
            }
            if (i < grid.images - 1) {
                // the zero rows between this image and the next
                int from = ((i * grid.rowsPerImage + grid.outH) * grid.gw) * ocp;
                Arrays.fill(dyT, from, ((i + 1) * grid.rowsPerImage * grid.gw) * ocp, 0f);
            }
        }
    }

    /**
     * acc[r*ocp + o] += dW[o][r] of one group for the rows r in [quad0*4, quad1*4) &cap; [0, k): every block of
     * columns in order, each row quadruple over the block while it is in L1.
     */
    static void accumulate(int vectorBits, int k, int oc, int columns, float[] grid, int[] rowAt, float[] dyT,
                           float[] acc, int quad0, int quad1) {
        int ocp = paddedChannels(oc);
        int block = blockColumns(oc);
        for (int u0 = 0; u0 < columns; u0 += block) {
            int len = Math.min(block, columns - u0);
            for (int q = quad0; q < quad1; q++) {
                int r0 = q * ROWS;
                if (vectorBits == 512 && ocp == LANES && q + 1 < quad1) {
                    // one lane group: eight rows per pass (a broadcast per multiply-add, so the vector load of
                    // dyT is shared by twice as many)
                    int[] at = rowAt;
                    int last = k - 1;
                    rows8x16at512(len, grid, at[Math.min(r0, last)] + u0, at[Math.min(r0 + 1, last)] + u0,
                            at[Math.min(r0 + 2, last)] + u0, at[Math.min(r0 + 3, last)] + u0,
                            at[Math.min(r0 + 4, last)] + u0, at[Math.min(r0 + 5, last)] + u0,
                            at[Math.min(r0 + 6, last)] + u0, at[Math.min(r0 + 7, last)] + u0, dyT, u0 * ocp, acc,
                            r0 * ocp, Math.min(2 * ROWS, k - r0));
                    q++;
                    continue;
                }
                // rows past k repeat the last row; their sums are dropped
                int s0 = rowAt[Math.min(r0, k - 1)] + u0;
                int s1 = rowAt[Math.min(r0 + 1, k - 1)] + u0;
                int s2 = rowAt[Math.min(r0 + 2, k - 1)] + u0;
                int s3 = rowAt[Math.min(r0 + 3, k - 1)] + u0;
                int rows = Math.min(ROWS, k - r0);
                for (int v = 0; v < ocp; v += LANES) {
                    int d = u0 * ocp + v;
                    int a = r0 * ocp + v;
                    if (vectorBits == 512 && v + 2 * LANES <= ocp) {
                        rows4x32at512(len, grid, s0, s1, s2, s3, dyT, d, ocp, acc, a, rows);
                        v += LANES;
                    } else if (vectorBits == 512) {
                        rows4x16at512(len, grid, s0, s1, s2, s3, dyT, d, ocp, acc, a, rows);
                    } else if (vectorBits == 256) {
                        rows4x16at256(len, grid, s0, s1, s2, s3, dyT, d, ocp, acc, a, rows);
                    } else {
                        scalarRows(len, grid, s0, s1, s2, s3, dyT, d, ocp, acc, a, rows);
                    }
                }
            }
        }
    }

    /** dw (OC x k) at dwOffset = acc^T (beta 0) or beta*dw + acc^T. */
    static void store(int k, int oc, float[] acc, float beta, float[] dw, int dwOffset) {
        int ocp = paddedChannels(oc);
        for (int o = 0; o < oc; o++) {
            int row = dwOffset + o * k;
            for (int r = 0; r < k; r++) {
                float sum = acc[r * ocp + o];
                dw[row + r] = beta == 0f ? sum : beta * dw[row + r] + sum;
            }
        }
    }

    /** The scalar widths: row by row through {@link #scalarRow}. */
    private static void scalarRows(int len, float[] grid, int s0, int s1, int s2, int s3, float[] dyT, int d,
                                   int ocp, float[] acc, int a, int rows) {
        scalarRow(len, grid, s0, dyT, d, ocp, acc, a);
        if (rows > 1) {
            scalarRow(len, grid, s1, dyT, d, ocp, acc, a + ocp);
        }
        if (rows > 2) {
            scalarRow(len, grid, s2, dyT, d, ocp, acc, a + 2 * ocp);
        }
        if (rows > 3) {
            scalarRow(len, grid, s3, dyT, d, ocp, acc, a + 3 * ocp);
        }
    }

    /** One grid row against 16 lanes, element by element: the reference the vector kernels equal. */
    private static void scalarRow(int len, float[] grid, int s, float[] dyT, int d, int ocp, float[] acc, int a) {
        for (int lane = 0; lane < LANES; lane++) {
            float c = 0f;
            for (int u = 0; u < len; u++) {
                c = Math.fma(grid[s + u], dyT[d + u * ocp + lane], c);
            }
            acc[a + lane] += c;
        }
    }

    // One method per width and lane count, the species a static constant and the sums locals, so C2
    // intrinsifies the Vector API calls and keeps the sums in registers.

    private static void rows4x32at512(int len, float[] grid, int s0, int s1, int s2, int s3, float[] dyT, int d,
                                      int ocp, float[] acc, int a, int rows) {
        FloatVector c00 = FloatVector.zero(S512);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        for (int u = 0; u < len; u++) {
            int at = d + u * ocp;
            FloatVector b0 = FloatVector.fromArray(S512, dyT, at);
            FloatVector b1 = FloatVector.fromArray(S512, dyT, at + 16);
            FloatVector g = FloatVector.broadcast(S512, grid[s0 + u]);
            c00 = g.fma(b0, c00);
            c01 = g.fma(b1, c01);
            g = FloatVector.broadcast(S512, grid[s1 + u]);
            c10 = g.fma(b0, c10);
            c11 = g.fma(b1, c11);
            g = FloatVector.broadcast(S512, grid[s2 + u]);
            c20 = g.fma(b0, c20);
            c21 = g.fma(b1, c21);
            g = FloatVector.broadcast(S512, grid[s3 + u]);
            c30 = g.fma(b0, c30);
            c31 = g.fma(b1, c31);
        }
        add512(acc, a, c00, c01);
        if (rows > 1) {
            add512(acc, a + ocp, c10, c11);
        }
        if (rows > 2) {
            add512(acc, a + 2 * ocp, c20, c21);
        }
        if (rows > 3) {
            add512(acc, a + 3 * ocp, c30, c31);
        }
    }

    private static void add512(float[] acc, int a, FloatVector lo, FloatVector hi) {
        FloatVector.fromArray(S512, acc, a).add(lo).intoArray(acc, a);
        FloatVector.fromArray(S512, acc, a + 16).add(hi).intoArray(acc, a + 16);
    }

    private static void rows4x16at512(int len, float[] grid, int s0, int s1, int s2, int s3, float[] dyT, int d,
                                      int ocp, float[] acc, int a, int rows) {
        FloatVector c0 = FloatVector.zero(S512);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        for (int u = 0; u < len; u++) {
            FloatVector b = FloatVector.fromArray(S512, dyT, d + u * ocp);
            c0 = FloatVector.broadcast(S512, grid[s0 + u]).fma(b, c0);
            c1 = FloatVector.broadcast(S512, grid[s1 + u]).fma(b, c1);
            c2 = FloatVector.broadcast(S512, grid[s2 + u]).fma(b, c2);
            c3 = FloatVector.broadcast(S512, grid[s3 + u]).fma(b, c3);
        }
        FloatVector.fromArray(S512, acc, a).add(c0).intoArray(acc, a);
        if (rows > 1) {
            FloatVector.fromArray(S512, acc, a + ocp).add(c1).intoArray(acc, a + ocp);
        }
        if (rows > 2) {
            FloatVector.fromArray(S512, acc, a + 2 * ocp).add(c2).intoArray(acc, a + 2 * ocp);
        }
        if (rows > 3) {
            FloatVector.fromArray(S512, acc, a + 3 * ocp).add(c3).intoArray(acc, a + 3 * ocp);
        }
    }

    private static void rows8x16at512(int len, float[] grid, int s0, int s1, int s2, int s3, int s4, int s5, int s6,
                                      int s7, float[] dyT, int d, float[] acc, int a, int rows) {
        FloatVector c0 = FloatVector.zero(S512);
        FloatVector c1 = c0;
        FloatVector c2 = c0;
        FloatVector c3 = c0;
        FloatVector c4 = c0;
        FloatVector c5 = c0;
        FloatVector c6 = c0;
        FloatVector c7 = c0;
        for (int u = 0; u < len; u++) {
            FloatVector b = FloatVector.fromArray(S512, dyT, d + u * LANES);
            c0 = FloatVector.broadcast(S512, grid[s0 + u]).fma(b, c0);
            c1 = FloatVector.broadcast(S512, grid[s1 + u]).fma(b, c1);
            c2 = FloatVector.broadcast(S512, grid[s2 + u]).fma(b, c2);
            c3 = FloatVector.broadcast(S512, grid[s3 + u]).fma(b, c3);
            c4 = FloatVector.broadcast(S512, grid[s4 + u]).fma(b, c4);
            c5 = FloatVector.broadcast(S512, grid[s5 + u]).fma(b, c5);
            c6 = FloatVector.broadcast(S512, grid[s6 + u]).fma(b, c6);
            c7 = FloatVector.broadcast(S512, grid[s7 + u]).fma(b, c7);
        }
        add16(acc, a, c0);
        if (rows > 1) {
            add16(acc, a + LANES, c1);
        }
        if (rows > 2) {
            add16(acc, a + 2 * LANES, c2);
        }
        if (rows > 3) {
            add16(acc, a + 3 * LANES, c3);
        }
        if (rows > 4) {
            add16(acc, a + 4 * LANES, c4);
        }
        if (rows > 5) {
            add16(acc, a + 5 * LANES, c5);
        }
        if (rows > 6) {
            add16(acc, a + 6 * LANES, c6);
        }
        if (rows > 7) {
            add16(acc, a + 7 * LANES, c7);
        }
    }

    private static void add16(float[] acc, int a, FloatVector sums) {
        FloatVector.fromArray(S512, acc, a).add(sums).intoArray(acc, a);
    }

    private static void rows4x16at256(int len, float[] grid, int s0, int s1, int s2, int s3, float[] dyT, int d,
                                      int ocp, float[] acc, int a, int rows) {
        FloatVector c00 = FloatVector.zero(S256);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        for (int u = 0; u < len; u++) {
            int at = d + u * ocp;
            FloatVector b0 = FloatVector.fromArray(S256, dyT, at);
            FloatVector b1 = FloatVector.fromArray(S256, dyT, at + 8);
            FloatVector g = FloatVector.broadcast(S256, grid[s0 + u]);
            c00 = g.fma(b0, c00);
            c01 = g.fma(b1, c01);
            g = FloatVector.broadcast(S256, grid[s1 + u]);
            c10 = g.fma(b0, c10);
            c11 = g.fma(b1, c11);
            g = FloatVector.broadcast(S256, grid[s2 + u]);
            c20 = g.fma(b0, c20);
            c21 = g.fma(b1, c21);
            g = FloatVector.broadcast(S256, grid[s3 + u]);
            c30 = g.fma(b0, c30);
            c31 = g.fma(b1, c31);
        }
        add256(acc, a, c00, c01);
        if (rows > 1) {
            add256(acc, a + ocp, c10, c11);
        }
        if (rows > 2) {
            add256(acc, a + 2 * ocp, c20, c21);
        }
        if (rows > 3) {
            add256(acc, a + 3 * ocp, c30, c31);
        }
    }

    private static void add256(float[] acc, int a, FloatVector lo, FloatVector hi) {
        FloatVector.fromArray(S256, acc, a).add(lo).intoArray(acc, a);
        FloatVector.fromArray(S256, acc, a + 8).add(hi).intoArray(acc, a + 8);
    }
}
