package org.rankfold.kernels.cpu.gemm;

import org.rankfold.kernels.Conv2dGeometry;

/**
 * One thread's buffers for {@link ConvGemm}'s padded-grid paths, each grown to the largest it has held, and
 * the layouts of the last grids: an inference plan or a training loop calls the same geometries over and
 * over, so a steady-state call computes no layout and allocates nothing.
 */
final class GridSpace {
    /** The images on the grid. */
    float[] grid = new float[0];
    /** The product over the grid's columns, before the gather. */
    float[] product = new float[0];
    /** The weight gradient's sums on the grid, (C*KH*KW) x padded OC. */
    float[] weightSums = new float[0];
    /** Gather indices of the weight gradient's scatter of dy. */
    final int[] lanes = new int[2 * GridWeightGrad.LANES];
    /** The transposed, flipped weight of a data gradient on the grid. */
    float[] flipped = new float[0];
    /** The weight's A panels shared by the groups of one grouped call ({@link PackedWeights}). */
    float[] packedWeights = new float[0];
    /** Where each of B's rows starts in {@link #grid}, filled for {@link #rowsFor}. */
    private int[] rowAt = new int[0];
    private PaddedGrid rowsFor;

    private PaddedGrid last;
    private Conv2dGeometry lastGeometry;
    private PaddedGrid previous;
    private Conv2dGeometry previousGeometry;
    private PaddedGrid lastSingle;
    private Conv2dGeometry lastSingleGeometry;

    /**
     * The layout of images images of geometry g; the last two are kept (a chunk split into groups of images
     * asks for two sizes, the group's and the remainder's).
     */
    PaddedGrid layout(Conv2dGeometry g, int images) {
        if (last != null && last.images == images && g.equals(lastGeometry)) {
            return last;
        }
        PaddedGrid grid = previous != null && previous.images == images && g.equals(previousGeometry)
                ? previous : new PaddedGrid(g, images);
        previous = last;
        previousGeometry = lastGeometry;
        last = grid;
        lastGeometry = g;
        return grid;
    }

    /** The layout of one image of geometry g, kept apart from {@link #layout} (group sizes are asked first). */
    PaddedGrid single(Conv2dGeometry g) {
        if (lastSingle == null || !g.equals(lastSingleGeometry)) {
            lastSingle = new PaddedGrid(g, 1);
            lastSingleGeometry = g;
        }
        return lastSingle;
    }

    /** Row r = (c, tap) of B on grid starts at the returned table's element r. */
    int[] rowOffsets(PaddedGrid grid, int k) {
        if (rowsFor != grid) {
            rowAt = atLeast(rowAt, k);
            for (int r = 0; r < k; r++) {
                rowAt[r] = grid.rowStart(r);
            }
            rowsFor = grid;
        }
        return rowAt;
    }

    /** a when it holds n floats, else a new array of n. */
    static float[] atLeast(float[] a, long n) {
        return a.length >= n ? a : new float[Math.toIntExact(n)];
    }

    private static int[] atLeast(int[] a, int n) {
        return a.length >= n ? a : new int[n];
    }
}
