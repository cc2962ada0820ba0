package org.rankfold.kernels.cpu.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import org.rankfold.kernels.GemmEpilogue;

/**
 * Applies a {@link GemmEpilogue} to one register tile of C right after the micro-kernel stored it, while
 * the tile is still in L1: the output stage costs no extra pass over C. Vectors run along the tile's row
 * (the micro-kernel's NR direction) at the micro-kernel's own width; the scalar loop handles the scalar
 * kernel and row tails. Multiplies and adds are separate operations in the epilogue's order, so each
 * element gets the same bits as {@link org.rankfold.kernels.ref.GemmEpilogueRef#element} at every width.
 */
final class EpilogueStage {
    private final int vectorBits;

    /** @param vectorBits the micro-kernel's width (0: scalar) */
    EpilogueStage(int vectorBits) {
        if (vectorBits != 0 && vectorBits != 128 && vectorBits != 256 && vectorBits != 512) {
            throw new IllegalArgumentException("no float species of " + vectorBits + " bits");
        }
        this.vectorBits = vectorBits;
    }

    /**
     * The tile at rows [row, row+rows), columns [col, col+cols) of C (row and col counted from C's (0, 0),
     * which is at cOffset); cAt is the tile's first element. Each width passes its species as a constant to
     * {@link #row}, which is small enough to be inlined, so the Vector API calls are intrinsified (a species
     * read from a field is not a compile-time constant).
     */
    void apply(GemmEpilogue e, int rows, int cols, float[] c, int cAt, int ldc, int row, int col) {
        for (int i = 0; i < rows; i++) {
            int r = row + i;
            int ci = cAt + i * ldc;
            int ri = e.residual() == null ? 0 : e.residualOffset() + r * e.ldr() + col;
            int j = switch (vectorBits) {
                case 512 -> row(FloatVector.SPECIES_512, e, r, cols, c, ci, ri);
                case 256 -> row(FloatVector.SPECIES_256, e, r, cols, c, ci, ri);
                case 128 -> row(FloatVector.SPECIES_128, e, r, cols, c, ci, ri);
                default -> 0;
            };
            for (; j < cols; j++) {
                c[ci + j] = element(e, r, c[ci + j], ri + j);
            }
        }
    }

    /** The whole vectors of one row segment; returns how many columns it did. */
    private static int row(VectorSpecies<Float> sp, GemmEpilogue e, int r, int cols, float[] c, int ci, int ri) {
        float[] scale = e.rowScale();
        float[] bias = e.rowBias();
        float[] res = e.residual();
        float s = scale == null ? 1f : scale[r];
        float b = bias == null ? 0f : bias[r];
        int bound = sp.loopBound(cols);
        for (int j = 0; j < bound; j += sp.length()) {
            FloatVector v = FloatVector.fromArray(sp, c, ci + j);
            if (scale != null) {
                v = v.mul(s);
            }
            if (bias != null) {
                v = v.add(b);
            }
            if (res != null) {
                v = v.add(FloatVector.fromArray(sp, res, ri + j));
            }
            if (e.relu()) {
                v = v.blend(0f, v.compare(VectorOperators.GT, 0f).not());
            }
            v.intoArray(c, ci + j);
        }
        return bound;
    }

    /** One element, in the epilogue's order; ri is its residual index. */
    static float element(GemmEpilogue e, int r, float v, int ri) {
        if (e.rowScale() != null) {
            v = v * e.rowScale()[r];
        }
        if (e.rowBias() != null) {
            v = v + e.rowBias()[r];
        }
        if (e.residual() != null) {
            v = v + e.residual()[ri];
        }
        if (e.relu()) {
            v = v > 0f ? v : 0f;
        }
        return v;
    }
}
