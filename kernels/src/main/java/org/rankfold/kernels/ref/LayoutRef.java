package org.rankfold.kernels.ref;

/**
 * Scalar layout changes straight from the definition.
 */
public final class LayoutRef {
    private LayoutRef() {
    }

    /**
     * Swaps the two outer axes of blocks: x is (rows, cols, block) at xOffset, y is (cols, rows, block) at
     * yOffset with {@code y[c][r][e] = x[r][c][e]}; y is overwritten.
     */
    public static void transposeBlocks(int rows, int cols, int block, float[] x, int xOffset, float[] y, int yOffset) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                for (int e = 0; e < block; e++) {
                    y[yOffset + (c * rows + r) * block + e] = x[xOffset + (r * cols + c) * block + e];
                }
            }
        }
    }
}
