package org.rankfold.kernels.cpu;

/**
 * Layout changes with the semantics of {@link org.rankfold.kernels.ref.LayoutRef}: x is (rows, cols, block),
 * y is (cols, rows, block). Each block is one contiguous copy; the output rows y[c] are split over threads,
 * and every element is a plain copy, so the result does not depend on threads.
 */
public final class Layout {
    /** Blocks shorter than this are copied element by element rather than by System.arraycopy. */
    private static final int SHORT_BLOCK = 4;

    private Layout() {
    }

    /** y is overwritten. */
    public static void transposeBlocks(WorkerPool pool, int rows, int cols, int block, float[] x, int xOffset,
                                       float[] y, int yOffset) {
        int minCols = WorkerPool.minItems((long) rows * block);
        pool.split(cols, minCols, (c0, c1) -> {
            if (block < SHORT_BLOCK) {
                // short blocks (single floats: a flatten, the logits) by plain element copies: a
                // System.arraycopy call per float cost 1 ns compiled and about 1 us before the JIT compiled
                // the loop, which a step run once per batch reaches late (1.8 ms of resnet20's logits)
                for (int c = c0; c < c1; c++) {
                    for (int r = 0; r < rows; r++) {
                        int from = xOffset + (r * cols + c) * block;
                        int to = yOffset + (c * rows + r) * block;
                        for (int e = 0; e < block; e++) {
                            y[to + e] = x[from + e];
                        }
                    }
                }
                return;
            }
            // c: one output row of blocks; r: one block, read with stride cols*block from x
            for (int c = c0; c < c1; c++) {
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(x, xOffset + (r * cols + c) * block, y, yOffset + (c * rows + r) * block, block);
                }
            }
        });
    }
}
