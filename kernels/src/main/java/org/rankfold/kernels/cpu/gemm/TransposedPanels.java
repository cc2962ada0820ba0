package org.rankfold.kernels.cpu.gemm;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packs a block of op(B) = S^T, S a {@link RowSource} (the weight-gradient GEMM's im2col(x)^T), into the
 * NR-column micro-panels of {@link PackB}: column j of op(B) is row j of S, so the panel (KC x NR, k-major)
 * is the transpose of NR row segments of S. Writing each row segment with stride NR (one scalar store per
 * element into a different cache line) cost about as much as the GEMM itself when M (output channels) is
 * small. Instead the NR row segments are built side by side in an L1 buffer and each k-row of the panel is
 * gathered from them with vector loads (one gather of a vector's width of floats, one contiguous store).
 * The packed panel is the same floats as before, so the GEMM's results do not change.
 */
final class TransposedPanels {
    private TransposedPanels() {
    }

    /** Floats of the row buffer one thread needs for a configuration. */
    static int bufferSize(GemmConfig cfg) {
        return cfg.nr() * cfg.kc();
    }

    /**
     * dst[0 .. ceil(nc/NR)*NR*kc) = the panels of op(B)(p, j) = S(col0 + j, p0 + p), p &lt; kc, j &lt; nc;
     * columns past nc are zero. buf holds at least NR*kc floats; index at least 16 ints (overwritten).
     */
    static void pack(RowSource s, MicroKernel kernel, int p0, int kc, int col0, int nc, float[] dst,
                     float[] buf, int[] index) {
        int nr = kernel.nr();
        int panelSize = kc * nr;
        for (int jr = 0; jr < nc; jr += nr) {
            int cols = Math.min(nr, nc - jr);
            // buf row jj = row segment of S for panel column jj (zero past the block's end)
            for (int jj = 0; jj < cols; jj++) {
                s.row(col0 + jr + jj, p0, kc, buf, jj * kc);
            }
            if (cols < nr) {
                Arrays.fill(buf, cols * kc, nr * kc, 0f);
            }
            transpose(kernel.vectorBits(), nr, kc, buf, index, dst, (jr / nr) * panelSize);
        }
    }

    /** dst[at + p*nr + jj] = buf[jj*kc + p] for p &lt; kc, jj &lt; nr. */
    static void transpose(int vectorBits, int nr, int kc, float[] buf, int[] index, float[] dst, int at) {
        // one method per width: the Vector API compiles to vector instructions only for a constant species
        switch (vectorBits) {
            case 512 -> {
                if (nr % 16 == 0) {
                    gather512(nr, kc, buf, index, dst, at);
                    return;
                }
            }
            case 256 -> {
                if (nr % 8 == 0) {
                    gather256(nr, kc, buf, index, dst, at);
                    return;
                }
            }
            case 128 -> {
                if (nr % 4 == 0) {
                    gather128(nr, kc, buf, index, dst, at);
                    return;
                }
            }
            default -> {
            }
        }
        for (int p = 0; p < kc; p++) {
            int d = at + p * nr;
            for (int jj = 0; jj < nr; jj++) {
                dst[d + jj] = buf[jj * kc + p];
            }
        }
    }

    private static final VectorSpecies<Float> S512 = FloatVector.SPECIES_512;
    private static final VectorSpecies<Float> S256 = FloatVector.SPECIES_256;
    private static final VectorSpecies<Float> S128 = FloatVector.SPECIES_128;

    private static void gather512(int nr, int kc, float[] buf, int[] index, float[] dst, int at) {
        fillIndex(index, 16, kc);
        for (int v = 0; v < nr; v += 16) {
            int src = v * kc;
            int d = at + v;
            for (int p = 0; p < kc; p++) {
                FloatVector.fromArray(S512, buf, src + p, index, 0).intoArray(dst, d + p * nr);
            }
        }
    }

    private static void gather256(int nr, int kc, float[] buf, int[] index, float[] dst, int at) {
        fillIndex(index, 8, kc);
        for (int v = 0; v < nr; v += 8) {
            int src = v * kc;
            int d = at + v;
            for (int p = 0; p < kc; p++) {
                FloatVector.fromArray(S256, buf, src + p, index, 0).intoArray(dst, d + p * nr);
            }
        }
    }

    private static void gather128(int nr, int kc, float[] buf, int[] index, float[] dst, int at) {
        fillIndex(index, 4, kc);
        for (int v = 0; v < nr; v += 4) {
            int src = v * kc;
            int d = at + v;
            for (int p = 0; p < kc; p++) {
                FloatVector.fromArray(S128, buf, src + p, index, 0).intoArray(dst, d + p * nr);
            }
        }
    }

    private static void fillIndex(int[] index, int len, int kc) {
        for (int i = 0; i < len; i++) {
            index[i] = i * kc;
        }
    }
}
