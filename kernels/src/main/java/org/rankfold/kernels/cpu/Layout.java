package org.rankfold.kernels.cpu;

/**
 * Layout changes with the semantics of {@link org.rankfold.kernels.ref.LayoutRef}: x is (rows, cols, block),
 * y is (cols, rows, block). Each block is one contiguous copy; the output rows y[c] are split over threads,
 * and every element is a plain copy, so the result does not depend on threads.
 */
public final class Layout {
    /** Below this many floats per thread a split costs more than it saves. */
    private static final int MIN_FLOATS_PER_THREAD = 1 << 15;

    private Layout() {
    }

    /** y is overwritten. */
    public static void transposeBlocks(WorkerPool pool, int rows, int cols, int block, float[] x, int xOffset,
                                       float[] y, int yOffset) {
        int minCols = Math.max(1, MIN_FLOATS_PER_THREAD / Math.max(1, rows * block));
        pool.split(cols, minCols, (c0, c1) -> {
            // c: one output row of blocks; r: one block, read with stride cols*block from x
            for (int c = c0; c < c1; c++) {
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(x, xOffset + (r * cols + c) * block, y, yOffset + (c * rows + r) * block, block);
                }
            }
        });
    }
}
