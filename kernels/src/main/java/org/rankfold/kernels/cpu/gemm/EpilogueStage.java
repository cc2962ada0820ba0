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
    private final VectorSpecies<Float> species;

    /** @param vectorBits the micro-kernel's width (0: scalar) */
    EpilogueStage(int vectorBits) {
        this.species = switch (vectorBits) {
            case 0 -> null;
            case 128 -> FloatVector.SPECIES_128;
            case 256 -> FloatVector.SPECIES_256;
            case 512 -> FloatVector.SPECIES_512;
            default -> throw new IllegalArgumentException("no float species of " + vectorBits + " bits");
        };
    }

    /**
     * The tile at rows [row, row+rows), columns [col, col+cols) of C (row and col counted from C's (0, 0),
     * which is at cOffset); cAt is the tile's first element.
     */
    void apply(GemmEpilogue e, int rows, int cols, float[] c, int cAt, int ldc, int row, int col) {
        float[] scale = e.rowScale();
        float[] bias = e.rowBias();
        float[] res = e.residual();
        boolean relu = e.relu();
        for (int i = 0; i < rows; i++) {
            int r = row + i;
            int ci = cAt + i * ldc;
            int ri = res == null ? 0 : e.residualOffset() + r * e.ldr() + col;
            float s = scale == null ? 1f : scale[r];
            float b = bias == null ? 0f : bias[r];
            int j = 0;
            if (species != null) {
                int bound = species.loopBound(cols);
                for (; j < bound; j += species.length()) {
                    FloatVector v = FloatVector.fromArray(species, c, ci + j);
                    if (scale != null) {
                        v = v.mul(s);
                    }
                    if (bias != null) {
                        v = v.add(b);
                    }
                    if (res != null) {
                        v = v.add(FloatVector.fromArray(species, res, ri + j));
                    }
                    if (relu) {
                        v = FloatVector.zero(species).blend(v, v.compare(VectorOperators.GT, 0f));
                    }
                    v.intoArray(c, ci + j);
                }
            }
            for (; j < cols; j++) {
                float v = c[ci + j];
                if (scale != null) {
                    v = v * s;
                }
                if (bias != null) {
                    v = v + b;
                }
                if (res != null) {
                    v = v + res[ri + j];
                }
                if (relu) {
                    v = v > 0f ? v : 0f;
                }
                c[ci + j] = v;
            }
        }
    }
}
